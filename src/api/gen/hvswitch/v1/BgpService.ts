// Original file: proto/hvswitch/v1/bgp.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AddPathRequest as _hvswitch_v1_AddPathRequest, AddPathRequest__Output as _hvswitch_v1_AddPathRequest__Output } from '../../hvswitch/v1/AddPathRequest.js';
import type { AddPathResponse as _hvswitch_v1_AddPathResponse, AddPathResponse__Output as _hvswitch_v1_AddPathResponse__Output } from '../../hvswitch/v1/AddPathResponse.js';
import type { AddPeerRequest as _hvswitch_v1_AddPeerRequest, AddPeerRequest__Output as _hvswitch_v1_AddPeerRequest__Output } from '../../hvswitch/v1/AddPeerRequest.js';
import type { AddPeerResponse as _hvswitch_v1_AddPeerResponse, AddPeerResponse__Output as _hvswitch_v1_AddPeerResponse__Output } from '../../hvswitch/v1/AddPeerResponse.js';
import type { DeletePathRequest as _hvswitch_v1_DeletePathRequest, DeletePathRequest__Output as _hvswitch_v1_DeletePathRequest__Output } from '../../hvswitch/v1/DeletePathRequest.js';
import type { DeletePathResponse as _hvswitch_v1_DeletePathResponse, DeletePathResponse__Output as _hvswitch_v1_DeletePathResponse__Output } from '../../hvswitch/v1/DeletePathResponse.js';
import type { DeletePeerRequest as _hvswitch_v1_DeletePeerRequest, DeletePeerRequest__Output as _hvswitch_v1_DeletePeerRequest__Output } from '../../hvswitch/v1/DeletePeerRequest.js';
import type { DeletePeerResponse as _hvswitch_v1_DeletePeerResponse, DeletePeerResponse__Output as _hvswitch_v1_DeletePeerResponse__Output } from '../../hvswitch/v1/DeletePeerResponse.js';
import type { GetPeerRequest as _hvswitch_v1_GetPeerRequest, GetPeerRequest__Output as _hvswitch_v1_GetPeerRequest__Output } from '../../hvswitch/v1/GetPeerRequest.js';
import type { GetPeerResponse as _hvswitch_v1_GetPeerResponse, GetPeerResponse__Output as _hvswitch_v1_GetPeerResponse__Output } from '../../hvswitch/v1/GetPeerResponse.js';
import type { ListPathRequest as _hvswitch_v1_ListPathRequest, ListPathRequest__Output as _hvswitch_v1_ListPathRequest__Output } from '../../hvswitch/v1/ListPathRequest.js';
import type { ListPathResponse as _hvswitch_v1_ListPathResponse, ListPathResponse__Output as _hvswitch_v1_ListPathResponse__Output } from '../../hvswitch/v1/ListPathResponse.js';
import type { ListPeerRequest as _hvswitch_v1_ListPeerRequest, ListPeerRequest__Output as _hvswitch_v1_ListPeerRequest__Output } from '../../hvswitch/v1/ListPeerRequest.js';
import type { ListPeerResponse as _hvswitch_v1_ListPeerResponse, ListPeerResponse__Output as _hvswitch_v1_ListPeerResponse__Output } from '../../hvswitch/v1/ListPeerResponse.js';
import type { ResetPeerRequest as _hvswitch_v1_ResetPeerRequest, ResetPeerRequest__Output as _hvswitch_v1_ResetPeerRequest__Output } from '../../hvswitch/v1/ResetPeerRequest.js';
import type { ResetPeerResponse as _hvswitch_v1_ResetPeerResponse, ResetPeerResponse__Output as _hvswitch_v1_ResetPeerResponse__Output } from '../../hvswitch/v1/ResetPeerResponse.js';

export interface BgpServiceClient extends grpc.Client {
  /**
   * Stable.  Originates (or replaces) a path in a family; INVALID_ARGUMENT
   * naming the field when the NLRI or an attribute cannot be encoded.
   */
  AddPath(argument: _hvswitch_v1_AddPathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddPathResponse__Output>): grpc.ClientUnaryCall;
  AddPath(argument: _hvswitch_v1_AddPathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_AddPathResponse__Output>): grpc.ClientUnaryCall;
  AddPath(argument: _hvswitch_v1_AddPathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddPathResponse__Output>): grpc.ClientUnaryCall;
  AddPath(argument: _hvswitch_v1_AddPathRequest, callback: grpc.requestCallback<_hvswitch_v1_AddPathResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  Originates (or replaces) a path in a family; INVALID_ARGUMENT
   * naming the field when the NLRI or an attribute cannot be encoded.
   */
  addPath(argument: _hvswitch_v1_AddPathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddPathResponse__Output>): grpc.ClientUnaryCall;
  addPath(argument: _hvswitch_v1_AddPathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_AddPathResponse__Output>): grpc.ClientUnaryCall;
  addPath(argument: _hvswitch_v1_AddPathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddPathResponse__Output>): grpc.ClientUnaryCall;
  addPath(argument: _hvswitch_v1_AddPathRequest, callback: grpc.requestCallback<_hvswitch_v1_AddPathResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.  Adds a neighbor (config `bgp.neighbors`); ALREADY_EXISTS if the
   * address is a neighbor.
   */
  AddPeer(argument: _hvswitch_v1_AddPeerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddPeerResponse__Output>): grpc.ClientUnaryCall;
  AddPeer(argument: _hvswitch_v1_AddPeerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_AddPeerResponse__Output>): grpc.ClientUnaryCall;
  AddPeer(argument: _hvswitch_v1_AddPeerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddPeerResponse__Output>): grpc.ClientUnaryCall;
  AddPeer(argument: _hvswitch_v1_AddPeerRequest, callback: grpc.requestCallback<_hvswitch_v1_AddPeerResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  Adds a neighbor (config `bgp.neighbors`); ALREADY_EXISTS if the
   * address is a neighbor.
   */
  addPeer(argument: _hvswitch_v1_AddPeerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddPeerResponse__Output>): grpc.ClientUnaryCall;
  addPeer(argument: _hvswitch_v1_AddPeerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_AddPeerResponse__Output>): grpc.ClientUnaryCall;
  addPeer(argument: _hvswitch_v1_AddPeerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddPeerResponse__Output>): grpc.ClientUnaryCall;
  addPeer(argument: _hvswitch_v1_AddPeerRequest, callback: grpc.requestCallback<_hvswitch_v1_AddPeerResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.  Withdraws a path originated by AddPath; NOT_FOUND if it was not.
   */
  DeletePath(argument: _hvswitch_v1_DeletePathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeletePathResponse__Output>): grpc.ClientUnaryCall;
  DeletePath(argument: _hvswitch_v1_DeletePathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_DeletePathResponse__Output>): grpc.ClientUnaryCall;
  DeletePath(argument: _hvswitch_v1_DeletePathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeletePathResponse__Output>): grpc.ClientUnaryCall;
  DeletePath(argument: _hvswitch_v1_DeletePathRequest, callback: grpc.requestCallback<_hvswitch_v1_DeletePathResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  Withdraws a path originated by AddPath; NOT_FOUND if it was not.
   */
  deletePath(argument: _hvswitch_v1_DeletePathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeletePathResponse__Output>): grpc.ClientUnaryCall;
  deletePath(argument: _hvswitch_v1_DeletePathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_DeletePathResponse__Output>): grpc.ClientUnaryCall;
  deletePath(argument: _hvswitch_v1_DeletePathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeletePathResponse__Output>): grpc.ClientUnaryCall;
  deletePath(argument: _hvswitch_v1_DeletePathRequest, callback: grpc.requestCallback<_hvswitch_v1_DeletePathResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.  Removes a neighbor: its session ends (Cease) and its routes leave
   * the RIB.  NOT_FOUND if there is none.
   */
  DeletePeer(argument: _hvswitch_v1_DeletePeerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeletePeerResponse__Output>): grpc.ClientUnaryCall;
  DeletePeer(argument: _hvswitch_v1_DeletePeerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_DeletePeerResponse__Output>): grpc.ClientUnaryCall;
  DeletePeer(argument: _hvswitch_v1_DeletePeerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeletePeerResponse__Output>): grpc.ClientUnaryCall;
  DeletePeer(argument: _hvswitch_v1_DeletePeerRequest, callback: grpc.requestCallback<_hvswitch_v1_DeletePeerResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  Removes a neighbor: its session ends (Cease) and its routes leave
   * the RIB.  NOT_FOUND if there is none.
   */
  deletePeer(argument: _hvswitch_v1_DeletePeerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeletePeerResponse__Output>): grpc.ClientUnaryCall;
  deletePeer(argument: _hvswitch_v1_DeletePeerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_DeletePeerResponse__Output>): grpc.ClientUnaryCall;
  deletePeer(argument: _hvswitch_v1_DeletePeerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeletePeerResponse__Output>): grpc.ClientUnaryCall;
  deletePeer(argument: _hvswitch_v1_DeletePeerRequest, callback: grpc.requestCallback<_hvswitch_v1_DeletePeerResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.  NOT_FOUND if there is no such neighbor.
   */
  GetPeer(argument: _hvswitch_v1_GetPeerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_GetPeerResponse__Output>): grpc.ClientUnaryCall;
  GetPeer(argument: _hvswitch_v1_GetPeerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_GetPeerResponse__Output>): grpc.ClientUnaryCall;
  GetPeer(argument: _hvswitch_v1_GetPeerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_GetPeerResponse__Output>): grpc.ClientUnaryCall;
  GetPeer(argument: _hvswitch_v1_GetPeerRequest, callback: grpc.requestCallback<_hvswitch_v1_GetPeerResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  NOT_FOUND if there is no such neighbor.
   */
  getPeer(argument: _hvswitch_v1_GetPeerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_GetPeerResponse__Output>): grpc.ClientUnaryCall;
  getPeer(argument: _hvswitch_v1_GetPeerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_GetPeerResponse__Output>): grpc.ClientUnaryCall;
  getPeer(argument: _hvswitch_v1_GetPeerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_GetPeerResponse__Output>): grpc.ClientUnaryCall;
  getPeer(argument: _hvswitch_v1_GetPeerRequest, callback: grpc.requestCallback<_hvswitch_v1_GetPeerResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.  One family's Loc-RIB (best paths), or a neighbor's Adj-RIB-In /
   * Adj-RIB-Out, in key order.
   */
  ListPath(argument: _hvswitch_v1_ListPathRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListPathResponse__Output>;
  ListPath(argument: _hvswitch_v1_ListPathRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListPathResponse__Output>;
  /**
   * Stable.  One family's Loc-RIB (best paths), or a neighbor's Adj-RIB-In /
   * Adj-RIB-Out, in key order.
   */
  listPath(argument: _hvswitch_v1_ListPathRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListPathResponse__Output>;
  listPath(argument: _hvswitch_v1_ListPathRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListPathResponse__Output>;
  
  /**
   * Stable.  Neighbors in address order.
   */
  ListPeer(argument: _hvswitch_v1_ListPeerRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListPeerResponse__Output>;
  ListPeer(argument: _hvswitch_v1_ListPeerRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListPeerResponse__Output>;
  /**
   * Stable.  Neighbors in address order.
   */
  listPeer(argument: _hvswitch_v1_ListPeerRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListPeerResponse__Output>;
  listPeer(argument: _hvswitch_v1_ListPeerRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListPeerResponse__Output>;
  
  /**
   * Stable.  Soft: asks the neighbor to resend its routes (ROUTE-REFRESH,
   * RFC 2918) for one family or every negotiated one; FAILED_PRECONDITION
   * unless Established.  Hard: the session is closed and restarted.
   */
  ResetPeer(argument: _hvswitch_v1_ResetPeerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_ResetPeerResponse__Output>): grpc.ClientUnaryCall;
  ResetPeer(argument: _hvswitch_v1_ResetPeerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_ResetPeerResponse__Output>): grpc.ClientUnaryCall;
  ResetPeer(argument: _hvswitch_v1_ResetPeerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_ResetPeerResponse__Output>): grpc.ClientUnaryCall;
  ResetPeer(argument: _hvswitch_v1_ResetPeerRequest, callback: grpc.requestCallback<_hvswitch_v1_ResetPeerResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  Soft: asks the neighbor to resend its routes (ROUTE-REFRESH,
   * RFC 2918) for one family or every negotiated one; FAILED_PRECONDITION
   * unless Established.  Hard: the session is closed and restarted.
   */
  resetPeer(argument: _hvswitch_v1_ResetPeerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_ResetPeerResponse__Output>): grpc.ClientUnaryCall;
  resetPeer(argument: _hvswitch_v1_ResetPeerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_ResetPeerResponse__Output>): grpc.ClientUnaryCall;
  resetPeer(argument: _hvswitch_v1_ResetPeerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_ResetPeerResponse__Output>): grpc.ClientUnaryCall;
  resetPeer(argument: _hvswitch_v1_ResetPeerRequest, callback: grpc.requestCallback<_hvswitch_v1_ResetPeerResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface BgpServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Stable.  Originates (or replaces) a path in a family; INVALID_ARGUMENT
   * naming the field when the NLRI or an attribute cannot be encoded.
   */
  AddPath: grpc.handleUnaryCall<_hvswitch_v1_AddPathRequest__Output, _hvswitch_v1_AddPathResponse>;
  
  /**
   * Stable.  Adds a neighbor (config `bgp.neighbors`); ALREADY_EXISTS if the
   * address is a neighbor.
   */
  AddPeer: grpc.handleUnaryCall<_hvswitch_v1_AddPeerRequest__Output, _hvswitch_v1_AddPeerResponse>;
  
  /**
   * Stable.  Withdraws a path originated by AddPath; NOT_FOUND if it was not.
   */
  DeletePath: grpc.handleUnaryCall<_hvswitch_v1_DeletePathRequest__Output, _hvswitch_v1_DeletePathResponse>;
  
  /**
   * Stable.  Removes a neighbor: its session ends (Cease) and its routes leave
   * the RIB.  NOT_FOUND if there is none.
   */
  DeletePeer: grpc.handleUnaryCall<_hvswitch_v1_DeletePeerRequest__Output, _hvswitch_v1_DeletePeerResponse>;
  
  /**
   * Stable.  NOT_FOUND if there is no such neighbor.
   */
  GetPeer: grpc.handleUnaryCall<_hvswitch_v1_GetPeerRequest__Output, _hvswitch_v1_GetPeerResponse>;
  
  /**
   * Stable.  One family's Loc-RIB (best paths), or a neighbor's Adj-RIB-In /
   * Adj-RIB-Out, in key order.
   */
  ListPath: grpc.handleServerStreamingCall<_hvswitch_v1_ListPathRequest__Output, _hvswitch_v1_ListPathResponse>;
  
  /**
   * Stable.  Neighbors in address order.
   */
  ListPeer: grpc.handleServerStreamingCall<_hvswitch_v1_ListPeerRequest__Output, _hvswitch_v1_ListPeerResponse>;
  
  /**
   * Stable.  Soft: asks the neighbor to resend its routes (ROUTE-REFRESH,
   * RFC 2918) for one family or every negotiated one; FAILED_PRECONDITION
   * unless Established.  Hard: the session is closed and restarted.
   */
  ResetPeer: grpc.handleUnaryCall<_hvswitch_v1_ResetPeerRequest__Output, _hvswitch_v1_ResetPeerResponse>;
  
}

export interface BgpServiceDefinition extends grpc.ServiceDefinition {
  AddPath: MethodDefinition<_hvswitch_v1_AddPathRequest, _hvswitch_v1_AddPathResponse, _hvswitch_v1_AddPathRequest__Output, _hvswitch_v1_AddPathResponse__Output>
  AddPeer: MethodDefinition<_hvswitch_v1_AddPeerRequest, _hvswitch_v1_AddPeerResponse, _hvswitch_v1_AddPeerRequest__Output, _hvswitch_v1_AddPeerResponse__Output>
  DeletePath: MethodDefinition<_hvswitch_v1_DeletePathRequest, _hvswitch_v1_DeletePathResponse, _hvswitch_v1_DeletePathRequest__Output, _hvswitch_v1_DeletePathResponse__Output>
  DeletePeer: MethodDefinition<_hvswitch_v1_DeletePeerRequest, _hvswitch_v1_DeletePeerResponse, _hvswitch_v1_DeletePeerRequest__Output, _hvswitch_v1_DeletePeerResponse__Output>
  GetPeer: MethodDefinition<_hvswitch_v1_GetPeerRequest, _hvswitch_v1_GetPeerResponse, _hvswitch_v1_GetPeerRequest__Output, _hvswitch_v1_GetPeerResponse__Output>
  ListPath: MethodDefinition<_hvswitch_v1_ListPathRequest, _hvswitch_v1_ListPathResponse, _hvswitch_v1_ListPathRequest__Output, _hvswitch_v1_ListPathResponse__Output>
  ListPeer: MethodDefinition<_hvswitch_v1_ListPeerRequest, _hvswitch_v1_ListPeerResponse, _hvswitch_v1_ListPeerRequest__Output, _hvswitch_v1_ListPeerResponse__Output>
  ResetPeer: MethodDefinition<_hvswitch_v1_ResetPeerRequest, _hvswitch_v1_ResetPeerResponse, _hvswitch_v1_ResetPeerRequest__Output, _hvswitch_v1_ResetPeerResponse__Output>
}
