// Original file: proto/hvswitch/v1/daemon.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetDaemonInfoRequest as _hvswitch_v1_GetDaemonInfoRequest, GetDaemonInfoRequest__Output as _hvswitch_v1_GetDaemonInfoRequest__Output } from '../../hvswitch/v1/GetDaemonInfoRequest.js';
import type { GetDaemonInfoResponse as _hvswitch_v1_GetDaemonInfoResponse, GetDaemonInfoResponse__Output as _hvswitch_v1_GetDaemonInfoResponse__Output } from '../../hvswitch/v1/GetDaemonInfoResponse.js';
import type { ReloadConfigRequest as _hvswitch_v1_ReloadConfigRequest, ReloadConfigRequest__Output as _hvswitch_v1_ReloadConfigRequest__Output } from '../../hvswitch/v1/ReloadConfigRequest.js';
import type { ReloadConfigResponse as _hvswitch_v1_ReloadConfigResponse, ReloadConfigResponse__Output as _hvswitch_v1_ReloadConfigResponse__Output } from '../../hvswitch/v1/ReloadConfigResponse.js';
import type { SetLogLevelRequest as _hvswitch_v1_SetLogLevelRequest, SetLogLevelRequest__Output as _hvswitch_v1_SetLogLevelRequest__Output } from '../../hvswitch/v1/SetLogLevelRequest.js';
import type { SetLogLevelResponse as _hvswitch_v1_SetLogLevelResponse, SetLogLevelResponse__Output as _hvswitch_v1_SetLogLevelResponse__Output } from '../../hvswitch/v1/SetLogLevelResponse.js';

export interface DaemonServiceClient extends grpc.Client {
  /**
   * Stable.
   */
  GetDaemonInfo(argument: _hvswitch_v1_GetDaemonInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_GetDaemonInfoResponse__Output>): grpc.ClientUnaryCall;
  GetDaemonInfo(argument: _hvswitch_v1_GetDaemonInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_GetDaemonInfoResponse__Output>): grpc.ClientUnaryCall;
  GetDaemonInfo(argument: _hvswitch_v1_GetDaemonInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_GetDaemonInfoResponse__Output>): grpc.ClientUnaryCall;
  GetDaemonInfo(argument: _hvswitch_v1_GetDaemonInfoRequest, callback: grpc.requestCallback<_hvswitch_v1_GetDaemonInfoResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.
   */
  getDaemonInfo(argument: _hvswitch_v1_GetDaemonInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_GetDaemonInfoResponse__Output>): grpc.ClientUnaryCall;
  getDaemonInfo(argument: _hvswitch_v1_GetDaemonInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_GetDaemonInfoResponse__Output>): grpc.ClientUnaryCall;
  getDaemonInfo(argument: _hvswitch_v1_GetDaemonInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_GetDaemonInfoResponse__Output>): grpc.ClientUnaryCall;
  getDaemonInfo(argument: _hvswitch_v1_GetDaemonInfoRequest, callback: grpc.requestCallback<_hvswitch_v1_GetDaemonInfoResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.  Re-reads the config file and applies the difference (as SIGHUP
   * does).  INVALID_ARGUMENT with the problems if the file is invalid; the
   * running config is then kept.
   */
  ReloadConfig(argument: _hvswitch_v1_ReloadConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_ReloadConfigResponse__Output>): grpc.ClientUnaryCall;
  ReloadConfig(argument: _hvswitch_v1_ReloadConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_ReloadConfigResponse__Output>): grpc.ClientUnaryCall;
  ReloadConfig(argument: _hvswitch_v1_ReloadConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_ReloadConfigResponse__Output>): grpc.ClientUnaryCall;
  ReloadConfig(argument: _hvswitch_v1_ReloadConfigRequest, callback: grpc.requestCallback<_hvswitch_v1_ReloadConfigResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  Re-reads the config file and applies the difference (as SIGHUP
   * does).  INVALID_ARGUMENT with the problems if the file is invalid; the
   * running config is then kept.
   */
  reloadConfig(argument: _hvswitch_v1_ReloadConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_ReloadConfigResponse__Output>): grpc.ClientUnaryCall;
  reloadConfig(argument: _hvswitch_v1_ReloadConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_ReloadConfigResponse__Output>): grpc.ClientUnaryCall;
  reloadConfig(argument: _hvswitch_v1_ReloadConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_ReloadConfigResponse__Output>): grpc.ClientUnaryCall;
  reloadConfig(argument: _hvswitch_v1_ReloadConfigRequest, callback: grpc.requestCallback<_hvswitch_v1_ReloadConfigResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.
   */
  SetLogLevel(argument: _hvswitch_v1_SetLogLevelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_SetLogLevelResponse__Output>): grpc.ClientUnaryCall;
  SetLogLevel(argument: _hvswitch_v1_SetLogLevelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_SetLogLevelResponse__Output>): grpc.ClientUnaryCall;
  SetLogLevel(argument: _hvswitch_v1_SetLogLevelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_SetLogLevelResponse__Output>): grpc.ClientUnaryCall;
  SetLogLevel(argument: _hvswitch_v1_SetLogLevelRequest, callback: grpc.requestCallback<_hvswitch_v1_SetLogLevelResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.
   */
  setLogLevel(argument: _hvswitch_v1_SetLogLevelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_SetLogLevelResponse__Output>): grpc.ClientUnaryCall;
  setLogLevel(argument: _hvswitch_v1_SetLogLevelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_SetLogLevelResponse__Output>): grpc.ClientUnaryCall;
  setLogLevel(argument: _hvswitch_v1_SetLogLevelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_SetLogLevelResponse__Output>): grpc.ClientUnaryCall;
  setLogLevel(argument: _hvswitch_v1_SetLogLevelRequest, callback: grpc.requestCallback<_hvswitch_v1_SetLogLevelResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface DaemonServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Stable.
   */
  GetDaemonInfo: grpc.handleUnaryCall<_hvswitch_v1_GetDaemonInfoRequest__Output, _hvswitch_v1_GetDaemonInfoResponse>;
  
  /**
   * Stable.  Re-reads the config file and applies the difference (as SIGHUP
   * does).  INVALID_ARGUMENT with the problems if the file is invalid; the
   * running config is then kept.
   */
  ReloadConfig: grpc.handleUnaryCall<_hvswitch_v1_ReloadConfigRequest__Output, _hvswitch_v1_ReloadConfigResponse>;
  
  /**
   * Stable.
   */
  SetLogLevel: grpc.handleUnaryCall<_hvswitch_v1_SetLogLevelRequest__Output, _hvswitch_v1_SetLogLevelResponse>;
  
}

export interface DaemonServiceDefinition extends grpc.ServiceDefinition {
  GetDaemonInfo: MethodDefinition<_hvswitch_v1_GetDaemonInfoRequest, _hvswitch_v1_GetDaemonInfoResponse, _hvswitch_v1_GetDaemonInfoRequest__Output, _hvswitch_v1_GetDaemonInfoResponse__Output>
  ReloadConfig: MethodDefinition<_hvswitch_v1_ReloadConfigRequest, _hvswitch_v1_ReloadConfigResponse, _hvswitch_v1_ReloadConfigRequest__Output, _hvswitch_v1_ReloadConfigResponse__Output>
  SetLogLevel: MethodDefinition<_hvswitch_v1_SetLogLevelRequest, _hvswitch_v1_SetLogLevelResponse, _hvswitch_v1_SetLogLevelRequest__Output, _hvswitch_v1_SetLogLevelResponse__Output>
}
