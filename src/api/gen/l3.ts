import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Neighbor as _hvswitch_v1_Neighbor, Neighbor__Output as _hvswitch_v1_Neighbor__Output } from './hvswitch/v1/Neighbor.js';
import type { NextHop as _hvswitch_v1_NextHop, NextHop__Output as _hvswitch_v1_NextHop__Output } from './hvswitch/v1/NextHop.js';
import type { Route as _hvswitch_v1_Route, Route__Output as _hvswitch_v1_Route__Output } from './hvswitch/v1/Route.js';
import type { Vrf as _hvswitch_v1_Vrf, Vrf__Output as _hvswitch_v1_Vrf__Output } from './hvswitch/v1/Vrf.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  hvswitch: {
    v1: {
      Afi: EnumTypeDefinition
      Neighbor: MessageTypeDefinition<_hvswitch_v1_Neighbor, _hvswitch_v1_Neighbor__Output>
      NeighborState: EnumTypeDefinition
      NextHop: MessageTypeDefinition<_hvswitch_v1_NextHop, _hvswitch_v1_NextHop__Output>
      Route: MessageTypeDefinition<_hvswitch_v1_Route, _hvswitch_v1_Route__Output>
      RouteOrigin: EnumTypeDefinition
      RouteType: EnumTypeDefinition
      Vrf: MessageTypeDefinition<_hvswitch_v1_Vrf, _hvswitch_v1_Vrf__Output>
    }
  }
}

