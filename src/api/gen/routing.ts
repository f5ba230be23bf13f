import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AddNeighborRequest as _hvswitch_v1_AddNeighborRequest, AddNeighborRequest__Output as _hvswitch_v1_AddNeighborRequest__Output } from './hvswitch/v1/AddNeighborRequest.js';
import type { AddNeighborResponse as _hvswitch_v1_AddNeighborResponse, AddNeighborResponse__Output as _hvswitch_v1_AddNeighborResponse__Output } from './hvswitch/v1/AddNeighborResponse.js';
import type { AddRouteRequest as _hvswitch_v1_AddRouteRequest, AddRouteRequest__Output as _hvswitch_v1_AddRouteRequest__Output } from './hvswitch/v1/AddRouteRequest.js';
import type { AddRouteResponse as _hvswitch_v1_AddRouteResponse, AddRouteResponse__Output as _hvswitch_v1_AddRouteResponse__Output } from './hvswitch/v1/AddRouteResponse.js';
import type { AddVrfRequest as _hvswitch_v1_AddVrfRequest, AddVrfRequest__Output as _hvswitch_v1_AddVrfRequest__Output } from './hvswitch/v1/AddVrfRequest.js';
import type { AddVrfResponse as _hvswitch_v1_AddVrfResponse, AddVrfResponse__Output as _hvswitch_v1_AddVrfResponse__Output } from './hvswitch/v1/AddVrfResponse.js';
import type { DeleteRouteRequest as _hvswitch_v1_DeleteRouteRequest, DeleteRouteRequest__Output as _hvswitch_v1_DeleteRouteRequest__Output } from './hvswitch/v1/DeleteRouteRequest.js';
import type { DeleteRouteResponse as _hvswitch_v1_DeleteRouteResponse, DeleteRouteResponse__Output as _hvswitch_v1_DeleteRouteResponse__Output } from './hvswitch/v1/DeleteRouteResponse.js';
import type { DeleteVrfRequest as _hvswitch_v1_DeleteVrfRequest, DeleteVrfRequest__Output as _hvswitch_v1_DeleteVrfRequest__Output } from './hvswitch/v1/DeleteVrfRequest.js';
import type { DeleteVrfResponse as _hvswitch_v1_DeleteVrfResponse, DeleteVrfResponse__Output as _hvswitch_v1_DeleteVrfResponse__Output } from './hvswitch/v1/DeleteVrfResponse.js';
import type { FlushNeighborRequest as _hvswitch_v1_FlushNeighborRequest, FlushNeighborRequest__Output as _hvswitch_v1_FlushNeighborRequest__Output } from './hvswitch/v1/FlushNeighborRequest.js';
import type { FlushNeighborResponse as _hvswitch_v1_FlushNeighborResponse, FlushNeighborResponse__Output as _hvswitch_v1_FlushNeighborResponse__Output } from './hvswitch/v1/FlushNeighborResponse.js';
import type { ListNeighborRequest as _hvswitch_v1_ListNeighborRequest, ListNeighborRequest__Output as _hvswitch_v1_ListNeighborRequest__Output } from './hvswitch/v1/ListNeighborRequest.js';
import type { ListNeighborResponse as _hvswitch_v1_ListNeighborResponse, ListNeighborResponse__Output as _hvswitch_v1_ListNeighborResponse__Output } from './hvswitch/v1/ListNeighborResponse.js';
import type { ListRouteRequest as _hvswitch_v1_ListRouteRequest, ListRouteRequest__Output as _hvswitch_v1_ListRouteRequest__Output } from './hvswitch/v1/ListRouteRequest.js';
import type { ListRouteResponse as _hvswitch_v1_ListRouteResponse, ListRouteResponse__Output as _hvswitch_v1_ListRouteResponse__Output } from './hvswitch/v1/ListRouteResponse.js';
import type { ListVrfRequest as _hvswitch_v1_ListVrfRequest, ListVrfRequest__Output as _hvswitch_v1_ListVrfRequest__Output } from './hvswitch/v1/ListVrfRequest.js';
import type { ListVrfResponse as _hvswitch_v1_ListVrfResponse, ListVrfResponse__Output as _hvswitch_v1_ListVrfResponse__Output } from './hvswitch/v1/ListVrfResponse.js';
import type { Neighbor as _hvswitch_v1_Neighbor, Neighbor__Output as _hvswitch_v1_Neighbor__Output } from './hvswitch/v1/Neighbor.js';
import type { NextHop as _hvswitch_v1_NextHop, NextHop__Output as _hvswitch_v1_NextHop__Output } from './hvswitch/v1/NextHop.js';
import type { Route as _hvswitch_v1_Route, Route__Output as _hvswitch_v1_Route__Output } from './hvswitch/v1/Route.js';
import type { RoutingServiceClient as _hvswitch_v1_RoutingServiceClient, RoutingServiceDefinition as _hvswitch_v1_RoutingServiceDefinition } from './hvswitch/v1/RoutingService.js';
import type { Vrf as _hvswitch_v1_Vrf, Vrf__Output as _hvswitch_v1_Vrf__Output } from './hvswitch/v1/Vrf.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  hvswitch: {
    v1: {
      AddNeighborRequest: MessageTypeDefinition<_hvswitch_v1_AddNeighborRequest, _hvswitch_v1_AddNeighborRequest__Output>
      AddNeighborResponse: MessageTypeDefinition<_hvswitch_v1_AddNeighborResponse, _hvswitch_v1_AddNeighborResponse__Output>
      AddRouteRequest: MessageTypeDefinition<_hvswitch_v1_AddRouteRequest, _hvswitch_v1_AddRouteRequest__Output>
      AddRouteResponse: MessageTypeDefinition<_hvswitch_v1_AddRouteResponse, _hvswitch_v1_AddRouteResponse__Output>
      AddVrfRequest: MessageTypeDefinition<_hvswitch_v1_AddVrfRequest, _hvswitch_v1_AddVrfRequest__Output>
      AddVrfResponse: MessageTypeDefinition<_hvswitch_v1_AddVrfResponse, _hvswitch_v1_AddVrfResponse__Output>
      Afi: EnumTypeDefinition
      DeleteRouteRequest: MessageTypeDefinition<_hvswitch_v1_DeleteRouteRequest, _hvswitch_v1_DeleteRouteRequest__Output>
      DeleteRouteResponse: MessageTypeDefinition<_hvswitch_v1_DeleteRouteResponse, _hvswitch_v1_DeleteRouteResponse__Output>
      DeleteVrfRequest: MessageTypeDefinition<_hvswitch_v1_DeleteVrfRequest, _hvswitch_v1_DeleteVrfRequest__Output>
      DeleteVrfResponse: MessageTypeDefinition<_hvswitch_v1_DeleteVrfResponse, _hvswitch_v1_DeleteVrfResponse__Output>
      FlushNeighborRequest: MessageTypeDefinition<_hvswitch_v1_FlushNeighborRequest, _hvswitch_v1_FlushNeighborRequest__Output>
      FlushNeighborResponse: MessageTypeDefinition<_hvswitch_v1_FlushNeighborResponse, _hvswitch_v1_FlushNeighborResponse__Output>
      ListNeighborRequest: MessageTypeDefinition<_hvswitch_v1_ListNeighborRequest, _hvswitch_v1_ListNeighborRequest__Output>
      ListNeighborResponse: MessageTypeDefinition<_hvswitch_v1_ListNeighborResponse, _hvswitch_v1_ListNeighborResponse__Output>
      ListRouteRequest: MessageTypeDefinition<_hvswitch_v1_ListRouteRequest, _hvswitch_v1_ListRouteRequest__Output>
      ListRouteResponse: MessageTypeDefinition<_hvswitch_v1_ListRouteResponse, _hvswitch_v1_ListRouteResponse__Output>
      ListVrfRequest: MessageTypeDefinition<_hvswitch_v1_ListVrfRequest, _hvswitch_v1_ListVrfRequest__Output>
      ListVrfResponse: MessageTypeDefinition<_hvswitch_v1_ListVrfResponse, _hvswitch_v1_ListVrfResponse__Output>
      Neighbor: MessageTypeDefinition<_hvswitch_v1_Neighbor, _hvswitch_v1_Neighbor__Output>
      NeighborState: EnumTypeDefinition
      NextHop: MessageTypeDefinition<_hvswitch_v1_NextHop, _hvswitch_v1_NextHop__Output>
      Route: MessageTypeDefinition<_hvswitch_v1_Route, _hvswitch_v1_Route__Output>
      RouteOrigin: EnumTypeDefinition
      RouteType: EnumTypeDefinition
      RoutingService: SubtypeConstructor<typeof grpc.Client, _hvswitch_v1_RoutingServiceClient> & { service: _hvswitch_v1_RoutingServiceDefinition }
      Vrf: MessageTypeDefinition<_hvswitch_v1_Vrf, _hvswitch_v1_Vrf__Output>
    }
  }
}

