import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { DaemonServiceClient as _hvswitch_v1_DaemonServiceClient, DaemonServiceDefinition as _hvswitch_v1_DaemonServiceDefinition } from './hvswitch/v1/DaemonService.js';
import type { GetDaemonInfoRequest as _hvswitch_v1_GetDaemonInfoRequest, GetDaemonInfoRequest__Output as _hvswitch_v1_GetDaemonInfoRequest__Output } from './hvswitch/v1/GetDaemonInfoRequest.js';
import type { GetDaemonInfoResponse as _hvswitch_v1_GetDaemonInfoResponse, GetDaemonInfoResponse__Output as _hvswitch_v1_GetDaemonInfoResponse__Output } from './hvswitch/v1/GetDaemonInfoResponse.js';
import type { ReloadConfigRequest as _hvswitch_v1_ReloadConfigRequest, ReloadConfigRequest__Output as _hvswitch_v1_ReloadConfigRequest__Output } from './hvswitch/v1/ReloadConfigRequest.js';
import type { ReloadConfigResponse as _hvswitch_v1_ReloadConfigResponse, ReloadConfigResponse__Output as _hvswitch_v1_ReloadConfigResponse__Output } from './hvswitch/v1/ReloadConfigResponse.js';
import type { SetLogLevelRequest as _hvswitch_v1_SetLogLevelRequest, SetLogLevelRequest__Output as _hvswitch_v1_SetLogLevelRequest__Output } from './hvswitch/v1/SetLogLevelRequest.js';
import type { SetLogLevelResponse as _hvswitch_v1_SetLogLevelResponse, SetLogLevelResponse__Output as _hvswitch_v1_SetLogLevelResponse__Output } from './hvswitch/v1/SetLogLevelResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  hvswitch: {
    v1: {
      DaemonService: SubtypeConstructor<typeof grpc.Client, _hvswitch_v1_DaemonServiceClient> & { service: _hvswitch_v1_DaemonServiceDefinition }
      GetDaemonInfoRequest: MessageTypeDefinition<_hvswitch_v1_GetDaemonInfoRequest, _hvswitch_v1_GetDaemonInfoRequest__Output>
      GetDaemonInfoResponse: MessageTypeDefinition<_hvswitch_v1_GetDaemonInfoResponse, _hvswitch_v1_GetDaemonInfoResponse__Output>
      ReloadConfigRequest: MessageTypeDefinition<_hvswitch_v1_ReloadConfigRequest, _hvswitch_v1_ReloadConfigRequest__Output>
      ReloadConfigResponse: MessageTypeDefinition<_hvswitch_v1_ReloadConfigResponse, _hvswitch_v1_ReloadConfigResponse__Output>
      SetLogLevelRequest: MessageTypeDefinition<_hvswitch_v1_SetLogLevelRequest, _hvswitch_v1_SetLogLevelRequest__Output>
      SetLogLevelResponse: MessageTypeDefinition<_hvswitch_v1_SetLogLevelResponse, _hvswitch_v1_SetLogLevelResponse__Output>
    }
  }
}

