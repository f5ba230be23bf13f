// Original file: proto/hvswitch/v1/switch.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AddBridgeRequest as _hvswitch_v1_AddBridgeRequest, AddBridgeRequest__Output as _hvswitch_v1_AddBridgeRequest__Output } from '../../hvswitch/v1/AddBridgeRequest.js';
import type { AddBridgeResponse as _hvswitch_v1_AddBridgeResponse, AddBridgeResponse__Output as _hvswitch_v1_AddBridgeResponse__Output } from '../../hvswitch/v1/AddBridgeResponse.js';
import type { AddFdbRequest as _hvswitch_v1_AddFdbRequest, AddFdbRequest__Output as _hvswitch_v1_AddFdbRequest__Output } from '../../hvswitch/v1/AddFdbRequest.js';
import type { AddFdbResponse as _hvswitch_v1_AddFdbResponse, AddFdbResponse__Output as _hvswitch_v1_AddFdbResponse__Output } from '../../hvswitch/v1/AddFdbResponse.js';
import type { AddPortRequest as _hvswitch_v1_AddPortRequest, AddPortRequest__Output as _hvswitch_v1_AddPortRequest__Output } from '../../hvswitch/v1/AddPortRequest.js';
import type { AddPortResponse as _hvswitch_v1_AddPortResponse, AddPortResponse__Output as _hvswitch_v1_AddPortResponse__Output } from '../../hvswitch/v1/AddPortResponse.js';
import type { DeleteBridgeRequest as _hvswitch_v1_DeleteBridgeRequest, DeleteBridgeRequest__Output as _hvswitch_v1_DeleteBridgeRequest__Output } from '../../hvswitch/v1/DeleteBridgeRequest.js';
import type { DeleteBridgeResponse as _hvswitch_v1_DeleteBridgeResponse, DeleteBridgeResponse__Output as _hvswitch_v1_DeleteBridgeResponse__Output } from '../../hvswitch/v1/DeleteBridgeResponse.js';
import type { DeleteFdbRequest as _hvswitch_v1_DeleteFdbRequest, DeleteFdbRequest__Output as _hvswitch_v1_DeleteFdbRequest__Output } from '../../hvswitch/v1/DeleteFdbRequest.js';
import type { DeleteFdbResponse as _hvswitch_v1_DeleteFdbResponse, DeleteFdbResponse__Output as _hvswitch_v1_DeleteFdbResponse__Output } from '../../hvswitch/v1/DeleteFdbResponse.js';
import type { DeletePortRequest as _hvswitch_v1_DeletePortRequest, DeletePortRequest__Output as _hvswitch_v1_DeletePortRequest__Output } from '../../hvswitch/v1/DeletePortRequest.js';
import type { DeletePortResponse as _hvswitch_v1_DeletePortResponse, DeletePortResponse__Output as _hvswitch_v1_DeletePortResponse__Output } from '../../hvswitch/v1/DeletePortResponse.js';
import type { FlushFdbRequest as _hvswitch_v1_FlushFdbRequest, FlushFdbRequest__Output as _hvswitch_v1_FlushFdbRequest__Output } from '../../hvswitch/v1/FlushFdbRequest.js';
import type { FlushFdbResponse as _hvswitch_v1_FlushFdbResponse, FlushFdbResponse__Output as _hvswitch_v1_FlushFdbResponse__Output } from '../../hvswitch/v1/FlushFdbResponse.js';
import type { ListBridgeRequest as _hvswitch_v1_ListBridgeRequest, ListBridgeRequest__Output as _hvswitch_v1_ListBridgeRequest__Output } from '../../hvswitch/v1/ListBridgeRequest.js';
import type { ListBridgeResponse as _hvswitch_v1_ListBridgeResponse, ListBridgeResponse__Output as _hvswitch_v1_ListBridgeResponse__Output } from '../../hvswitch/v1/ListBridgeResponse.js';
import type { ListCounterDescriptorRequest as _hvswitch_v1_ListCounterDescriptorRequest, ListCounterDescriptorRequest__Output as _hvswitch_v1_ListCounterDescriptorRequest__Output } from '../../hvswitch/v1/ListCounterDescriptorRequest.js';
import type { ListCounterDescriptorResponse as _hvswitch_v1_ListCounterDescriptorResponse, ListCounterDescriptorResponse__Output as _hvswitch_v1_ListCounterDescriptorResponse__Output } from '../../hvswitch/v1/ListCounterDescriptorResponse.js';
import type { ListFdbRequest as _hvswitch_v1_ListFdbRequest, ListFdbRequest__Output as _hvswitch_v1_ListFdbRequest__Output } from '../../hvswitch/v1/ListFdbRequest.js';
import type { ListFdbResponse as _hvswitch_v1_ListFdbResponse, ListFdbResponse__Output as _hvswitch_v1_ListFdbResponse__Output } from '../../hvswitch/v1/ListFdbResponse.js';
import type { ListPortCountersRequest as _hvswitch_v1_ListPortCountersRequest, ListPortCountersRequest__Output as _hvswitch_v1_ListPortCountersRequest__Output } from '../../hvswitch/v1/ListPortCountersRequest.js';
import type { ListPortCountersResponse as _hvswitch_v1_ListPortCountersResponse, ListPortCountersResponse__Output as _hvswitch_v1_ListPortCountersResponse__Output } from '../../hvswitch/v1/ListPortCountersResponse.js';
import type { ListPortRequest as _hvswitch_v1_ListPortRequest, ListPortRequest__Output as _hvswitch_v1_ListPortRequest__Output } from '../../hvswitch/v1/ListPortRequest.js';
import type { ListPortResponse as _hvswitch_v1_ListPortResponse, ListPortResponse__Output as _hvswitch_v1_ListPortResponse__Output } from '../../hvswitch/v1/ListPortResponse.js';
import type { ListWorkerRequest as _hvswitch_v1_ListWorkerRequest, ListWorkerRequest__Output as _hvswitch_v1_ListWorkerRequest__Output } from '../../hvswitch/v1/ListWorkerRequest.js';
import type { ListWorkerResponse as _hvswitch_v1_ListWorkerResponse, ListWorkerResponse__Output as _hvswitch_v1_ListWorkerResponse__Output } from '../../hvswitch/v1/ListWorkerResponse.js';
import type { UpdatePortRequest as _hvswitch_v1_UpdatePortRequest, UpdatePortRequest__Output as _hvswitch_v1_UpdatePortRequest__Output } from '../../hvswitch/v1/UpdatePortRequest.js';
import type { UpdatePortResponse as _hvswitch_v1_UpdatePortResponse, UpdatePortResponse__Output as _hvswitch_v1_UpdatePortResponse__Output } from '../../hvswitch/v1/UpdatePortResponse.js';
import type { WatchEventRequest as _hvswitch_v1_WatchEventRequest, WatchEventRequest__Output as _hvswitch_v1_WatchEventRequest__Output } from '../../hvswitch/v1/WatchEventRequest.js';
import type { WatchEventResponse as _hvswitch_v1_WatchEventResponse, WatchEventResponse__Output as _hvswitch_v1_WatchEventResponse__Output } from '../../hvswitch/v1/WatchEventResponse.js';

export interface SwitchServiceClient extends grpc.Client {
  /**
   * Stable.
   */
  AddBridge(argument: _hvswitch_v1_AddBridgeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddBridgeResponse__Output>): grpc.ClientUnaryCall;
  AddBridge(argument: _hvswitch_v1_AddBridgeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_AddBridgeResponse__Output>): grpc.ClientUnaryCall;
  AddBridge(argument: _hvswitch_v1_AddBridgeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddBridgeResponse__Output>): grpc.ClientUnaryCall;
  AddBridge(argument: _hvswitch_v1_AddBridgeRequest, callback: grpc.requestCallback<_hvswitch_v1_AddBridgeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.
   */
  addBridge(argument: _hvswitch_v1_AddBridgeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddBridgeResponse__Output>): grpc.ClientUnaryCall;
  addBridge(argument: _hvswitch_v1_AddBridgeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_AddBridgeResponse__Output>): grpc.ClientUnaryCall;
  addBridge(argument: _hvswitch_v1_AddBridgeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddBridgeResponse__Output>): grpc.ClientUnaryCall;
  addBridge(argument: _hvswitch_v1_AddBridgeRequest, callback: grpc.requestCallback<_hvswitch_v1_AddBridgeResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.  Adds (or replaces) a static entry.
   */
  AddFdb(argument: _hvswitch_v1_AddFdbRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddFdbResponse__Output>): grpc.ClientUnaryCall;
  AddFdb(argument: _hvswitch_v1_AddFdbRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_AddFdbResponse__Output>): grpc.ClientUnaryCall;
  AddFdb(argument: _hvswitch_v1_AddFdbRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddFdbResponse__Output>): grpc.ClientUnaryCall;
  AddFdb(argument: _hvswitch_v1_AddFdbRequest, callback: grpc.requestCallback<_hvswitch_v1_AddFdbResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  Adds (or replaces) a static entry.
   */
  addFdb(argument: _hvswitch_v1_AddFdbRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddFdbResponse__Output>): grpc.ClientUnaryCall;
  addFdb(argument: _hvswitch_v1_AddFdbRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_AddFdbResponse__Output>): grpc.ClientUnaryCall;
  addFdb(argument: _hvswitch_v1_AddFdbRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddFdbResponse__Output>): grpc.ClientUnaryCall;
  addFdb(argument: _hvswitch_v1_AddFdbRequest, callback: grpc.requestCallback<_hvswitch_v1_AddFdbResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.  ALREADY_EXISTS if a port of that name exists.
   */
  AddPort(argument: _hvswitch_v1_AddPortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddPortResponse__Output>): grpc.ClientUnaryCall;
  AddPort(argument: _hvswitch_v1_AddPortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_AddPortResponse__Output>): grpc.ClientUnaryCall;
  AddPort(argument: _hvswitch_v1_AddPortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddPortResponse__Output>): grpc.ClientUnaryCall;
  AddPort(argument: _hvswitch_v1_AddPortRequest, callback: grpc.requestCallback<_hvswitch_v1_AddPortResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  ALREADY_EXISTS if a port of that name exists.
   */
  addPort(argument: _hvswitch_v1_AddPortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddPortResponse__Output>): grpc.ClientUnaryCall;
  addPort(argument: _hvswitch_v1_AddPortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_AddPortResponse__Output>): grpc.ClientUnaryCall;
  addPort(argument: _hvswitch_v1_AddPortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddPortResponse__Output>): grpc.ClientUnaryCall;
  addPort(argument: _hvswitch_v1_AddPortRequest, callback: grpc.requestCallback<_hvswitch_v1_AddPortResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.  FAILED_PRECONDITION while ports are in the bridge.
   */
  DeleteBridge(argument: _hvswitch_v1_DeleteBridgeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeleteBridgeResponse__Output>): grpc.ClientUnaryCall;
  DeleteBridge(argument: _hvswitch_v1_DeleteBridgeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_DeleteBridgeResponse__Output>): grpc.ClientUnaryCall;
  DeleteBridge(argument: _hvswitch_v1_DeleteBridgeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeleteBridgeResponse__Output>): grpc.ClientUnaryCall;
  DeleteBridge(argument: _hvswitch_v1_DeleteBridgeRequest, callback: grpc.requestCallback<_hvswitch_v1_DeleteBridgeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  FAILED_PRECONDITION while ports are in the bridge.
   */
  deleteBridge(argument: _hvswitch_v1_DeleteBridgeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeleteBridgeResponse__Output>): grpc.ClientUnaryCall;
  deleteBridge(argument: _hvswitch_v1_DeleteBridgeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_DeleteBridgeResponse__Output>): grpc.ClientUnaryCall;
  deleteBridge(argument: _hvswitch_v1_DeleteBridgeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeleteBridgeResponse__Output>): grpc.ClientUnaryCall;
  deleteBridge(argument: _hvswitch_v1_DeleteBridgeRequest, callback: grpc.requestCallback<_hvswitch_v1_DeleteBridgeResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.  NOT_FOUND if there is no such entry.
   */
  DeleteFdb(argument: _hvswitch_v1_DeleteFdbRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeleteFdbResponse__Output>): grpc.ClientUnaryCall;
  DeleteFdb(argument: _hvswitch_v1_DeleteFdbRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_DeleteFdbResponse__Output>): grpc.ClientUnaryCall;
  DeleteFdb(argument: _hvswitch_v1_DeleteFdbRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeleteFdbResponse__Output>): grpc.ClientUnaryCall;
  DeleteFdb(argument: _hvswitch_v1_DeleteFdbRequest, callback: grpc.requestCallback<_hvswitch_v1_DeleteFdbResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  NOT_FOUND if there is no such entry.
   */
  deleteFdb(argument: _hvswitch_v1_DeleteFdbRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeleteFdbResponse__Output>): grpc.ClientUnaryCall;
  deleteFdb(argument: _hvswitch_v1_DeleteFdbRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_DeleteFdbResponse__Output>): grpc.ClientUnaryCall;
  deleteFdb(argument: _hvswitch_v1_DeleteFdbRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeleteFdbResponse__Output>): grpc.ClientUnaryCall;
  deleteFdb(argument: _hvswitch_v1_DeleteFdbRequest, callback: grpc.requestCallback<_hvswitch_v1_DeleteFdbResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.
   */
  DeletePort(argument: _hvswitch_v1_DeletePortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeletePortResponse__Output>): grpc.ClientUnaryCall;
  DeletePort(argument: _hvswitch_v1_DeletePortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_DeletePortResponse__Output>): grpc.ClientUnaryCall;
  DeletePort(argument: _hvswitch_v1_DeletePortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeletePortResponse__Output>): grpc.ClientUnaryCall;
  DeletePort(argument: _hvswitch_v1_DeletePortRequest, callback: grpc.requestCallback<_hvswitch_v1_DeletePortResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.
   */
  deletePort(argument: _hvswitch_v1_DeletePortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeletePortResponse__Output>): grpc.ClientUnaryCall;
  deletePort(argument: _hvswitch_v1_DeletePortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_DeletePortResponse__Output>): grpc.ClientUnaryCall;
  deletePort(argument: _hvswitch_v1_DeletePortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeletePortResponse__Output>): grpc.ClientUnaryCall;
  deletePort(argument: _hvswitch_v1_DeletePortRequest, callback: grpc.requestCallback<_hvswitch_v1_DeletePortResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.  Removes learned entries (and static ones if asked).
   */
  FlushFdb(argument: _hvswitch_v1_FlushFdbRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_FlushFdbResponse__Output>): grpc.ClientUnaryCall;
  FlushFdb(argument: _hvswitch_v1_FlushFdbRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_FlushFdbResponse__Output>): grpc.ClientUnaryCall;
  FlushFdb(argument: _hvswitch_v1_FlushFdbRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_FlushFdbResponse__Output>): grpc.ClientUnaryCall;
  FlushFdb(argument: _hvswitch_v1_FlushFdbRequest, callback: grpc.requestCallback<_hvswitch_v1_FlushFdbResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  Removes learned entries (and static ones if asked).
   */
  flushFdb(argument: _hvswitch_v1_FlushFdbRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_FlushFdbResponse__Output>): grpc.ClientUnaryCall;
  flushFdb(argument: _hvswitch_v1_FlushFdbRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_FlushFdbResponse__Output>): grpc.ClientUnaryCall;
  flushFdb(argument: _hvswitch_v1_FlushFdbRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_FlushFdbResponse__Output>): grpc.ClientUnaryCall;
  flushFdb(argument: _hvswitch_v1_FlushFdbRequest, callback: grpc.requestCallback<_hvswitch_v1_FlushFdbResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.
   */
  ListBridge(argument: _hvswitch_v1_ListBridgeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListBridgeResponse__Output>;
  ListBridge(argument: _hvswitch_v1_ListBridgeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListBridgeResponse__Output>;
  /**
   * Stable.
   */
  listBridge(argument: _hvswitch_v1_ListBridgeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListBridgeResponse__Output>;
  listBridge(argument: _hvswitch_v1_ListBridgeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListBridgeResponse__Output>;
  
  /**
   * Stable.  The per-port counters the core declares, with their help text.
   */
  ListCounterDescriptor(argument: _hvswitch_v1_ListCounterDescriptorRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListCounterDescriptorResponse__Output>;
  ListCounterDescriptor(argument: _hvswitch_v1_ListCounterDescriptorRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListCounterDescriptorResponse__Output>;
  /**
   * Stable.  The per-port counters the core declares, with their help text.
   */
  listCounterDescriptor(argument: _hvswitch_v1_ListCounterDescriptorRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListCounterDescriptorResponse__Output>;
  listCounterDescriptor(argument: _hvswitch_v1_ListCounterDescriptorRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListCounterDescriptorResponse__Output>;
  
  /**
   * Stable.
   */
  ListFdb(argument: _hvswitch_v1_ListFdbRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListFdbResponse__Output>;
  ListFdb(argument: _hvswitch_v1_ListFdbRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListFdbResponse__Output>;
  /**
   * Stable.
   */
  listFdb(argument: _hvswitch_v1_ListFdbRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListFdbResponse__Output>;
  listFdb(argument: _hvswitch_v1_ListFdbRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListFdbResponse__Output>;
  
  /**
   * Stable.
   */
  ListPort(argument: _hvswitch_v1_ListPortRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListPortResponse__Output>;
  ListPort(argument: _hvswitch_v1_ListPortRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListPortResponse__Output>;
  /**
   * Stable.
   */
  listPort(argument: _hvswitch_v1_ListPortRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListPortResponse__Output>;
  listPort(argument: _hvswitch_v1_ListPortRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListPortResponse__Output>;
  
  /**
   * Stable.
   */
  ListPortCounters(argument: _hvswitch_v1_ListPortCountersRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListPortCountersResponse__Output>;
  ListPortCounters(argument: _hvswitch_v1_ListPortCountersRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListPortCountersResponse__Output>;
  /**
   * Stable.
   */
  listPortCounters(argument: _hvswitch_v1_ListPortCountersRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListPortCountersResponse__Output>;
  listPortCounters(argument: _hvswitch_v1_ListPortCountersRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListPortCountersResponse__Output>;
  
  /**
   * Experimental.
   */
  ListWorker(argument: _hvswitch_v1_ListWorkerRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListWorkerResponse__Output>;
  ListWorker(argument: _hvswitch_v1_ListWorkerRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListWorkerResponse__Output>;
  /**
   * Experimental.
   */
  listWorker(argument: _hvswitch_v1_ListWorkerRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListWorkerResponse__Output>;
  listWorker(argument: _hvswitch_v1_ListWorkerRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListWorkerResponse__Output>;
  
  /**
   * Stable.  Changes the settings of a port (VLAN membership, mode, bridge, ...);
   * traffic on other ports is not disturbed.
   */
  UpdatePort(argument: _hvswitch_v1_UpdatePortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_UpdatePortResponse__Output>): grpc.ClientUnaryCall;
  UpdatePort(argument: _hvswitch_v1_UpdatePortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_UpdatePortResponse__Output>): grpc.ClientUnaryCall;
  UpdatePort(argument: _hvswitch_v1_UpdatePortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_UpdatePortResponse__Output>): grpc.ClientUnaryCall;
  UpdatePort(argument: _hvswitch_v1_UpdatePortRequest, callback: grpc.requestCallback<_hvswitch_v1_UpdatePortResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  Changes the settings of a port (VLAN membership, mode, bridge, ...);
   * traffic on other ports is not disturbed.
   */
  updatePort(argument: _hvswitch_v1_UpdatePortRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_UpdatePortResponse__Output>): grpc.ClientUnaryCall;
  updatePort(argument: _hvswitch_v1_UpdatePortRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_UpdatePortResponse__Output>): grpc.ClientUnaryCall;
  updatePort(argument: _hvswitch_v1_UpdatePortRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_UpdatePortResponse__Output>): grpc.ClientUnaryCall;
  updatePort(argument: _hvswitch_v1_UpdatePortRequest, callback: grpc.requestCallback<_hvswitch_v1_UpdatePortResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.  Streams events as they happen until the client cancels (GoBGP's
   * WatchEvent); later event kinds (link, BGP peer) are added to the oneof.
   */
  WatchEvent(argument: _hvswitch_v1_WatchEventRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_WatchEventResponse__Output>;
  WatchEvent(argument: _hvswitch_v1_WatchEventRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_WatchEventResponse__Output>;
  /**
   * Stable.  Streams events as they happen until the client cancels (GoBGP's
   * WatchEvent); later event kinds (link, BGP peer) are added to the oneof.
   */
  watchEvent(argument: _hvswitch_v1_WatchEventRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_WatchEventResponse__Output>;
  watchEvent(argument: _hvswitch_v1_WatchEventRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_WatchEventResponse__Output>;
  
}

export interface SwitchServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Stable.
   */
  AddBridge: grpc.handleUnaryCall<_hvswitch_v1_AddBridgeRequest__Output, _hvswitch_v1_AddBridgeResponse>;
  
  /**
   * Stable.  Adds (or replaces) a static entry.
   */
  AddFdb: grpc.handleUnaryCall<_hvswitch_v1_AddFdbRequest__Output, _hvswitch_v1_AddFdbResponse>;
  
  /**
   * Stable.  ALREADY_EXISTS if a port of that name exists.
   */
  AddPort: grpc.handleUnaryCall<_hvswitch_v1_AddPortRequest__Output, _hvswitch_v1_AddPortResponse>;
  
  /**
   * Stable.  FAILED_PRECONDITION while ports are in the bridge.
   */
  DeleteBridge: grpc.handleUnaryCall<_hvswitch_v1_DeleteBridgeRequest__Output, _hvswitch_v1_DeleteBridgeResponse>;
  
  /**
   * Stable.  NOT_FOUND if there is no such entry.
   */
  DeleteFdb: grpc.handleUnaryCall<_hvswitch_v1_DeleteFdbRequest__Output, _hvswitch_v1_DeleteFdbResponse>;
  
  /**
   * Stable.
   */
  DeletePort: grpc.handleUnaryCall<_hvswitch_v1_DeletePortRequest__Output, _hvswitch_v1_DeletePortResponse>;
  
  /**
   * Stable.  Removes learned entries (and static ones if asked).
   */
  FlushFdb: grpc.handleUnaryCall<_hvswitch_v1_FlushFdbRequest__Output, _hvswitch_v1_FlushFdbResponse>;
  
  /**
   * Stable.
   */
  ListBridge: grpc.handleServerStreamingCall<_hvswitch_v1_ListBridgeRequest__Output, _hvswitch_v1_ListBridgeResponse>;
  
  /**
   * Stable.  The per-port counters the core declares, with their help text.
   */
  ListCounterDescriptor: grpc.handleServerStreamingCall<_hvswitch_v1_ListCounterDescriptorRequest__Output, _hvswitch_v1_ListCounterDescriptorResponse>;
  
  /**
   * Stable.
   */
  ListFdb: grpc.handleServerStreamingCall<_hvswitch_v1_ListFdbRequest__Output, _hvswitch_v1_ListFdbResponse>;
  
  /**
   * Stable.
   */
  ListPort: grpc.handleServerStreamingCall<_hvswitch_v1_ListPortRequest__Output, _hvswitch_v1_ListPortResponse>;
  
  /**
   * Stable.
   */
  ListPortCounters: grpc.handleServerStreamingCall<_hvswitch_v1_ListPortCountersRequest__Output, _hvswitch_v1_ListPortCountersResponse>;
  
  /**
   * Experimental.
   */
  ListWorker: grpc.handleServerStreamingCall<_hvswitch_v1_ListWorkerRequest__Output, _hvswitch_v1_ListWorkerResponse>;
  
  /**
   * Stable.  Changes the settings of a port (VLAN membership, mode, bridge, ...);
   * traffic on other ports is not disturbed.
   */
  UpdatePort: grpc.handleUnaryCall<_hvswitch_v1_UpdatePortRequest__Output, _hvswitch_v1_UpdatePortResponse>;
  
  /**
   * Stable.  Streams events as they happen until the client cancels (GoBGP's
   * WatchEvent); later event kinds (link, BGP peer) are added to the oneof.
   */
  WatchEvent: grpc.handleServerStreamingCall<_hvswitch_v1_WatchEventRequest__Output, _hvswitch_v1_WatchEventResponse>;
  
}

export interface SwitchServiceDefinition extends grpc.ServiceDefinition {
  AddBridge: MethodDefinition<_hvswitch_v1_AddBridgeRequest, _hvswitch_v1_AddBridgeResponse, _hvswitch_v1_AddBridgeRequest__Output, _hvswitch_v1_AddBridgeResponse__Output>
  AddFdb: MethodDefinition<_hvswitch_v1_AddFdbRequest, _hvswitch_v1_AddFdbResponse, _hvswitch_v1_AddFdbRequest__Output, _hvswitch_v1_AddFdbResponse__Output>
  AddPort: MethodDefinition<_hvswitch_v1_AddPortRequest, _hvswitch_v1_AddPortResponse, _hvswitch_v1_AddPortRequest__Output, _hvswitch_v1_AddPortResponse__Output>
  DeleteBridge: MethodDefinition<_hvswitch_v1_DeleteBridgeRequest, _hvswitch_v1_DeleteBridgeResponse, _hvswitch_v1_DeleteBridgeRequest__Output, _hvswitch_v1_DeleteBridgeResponse__Output>
  DeleteFdb: MethodDefinition<_hvswitch_v1_DeleteFdbRequest, _hvswitch_v1_DeleteFdbResponse, _hvswitch_v1_DeleteFdbRequest__Output, _hvswitch_v1_DeleteFdbResponse__Output>
  DeletePort: MethodDefinition<_hvswitch_v1_DeletePortRequest, _hvswitch_v1_DeletePortResponse, _hvswitch_v1_DeletePortRequest__Output, _hvswitch_v1_DeletePortResponse__Output>
  FlushFdb: MethodDefinition<_hvswitch_v1_FlushFdbRequest, _hvswitch_v1_FlushFdbResponse, _hvswitch_v1_FlushFdbRequest__Output, _hvswitch_v1_FlushFdbResponse__Output>
  ListBridge: MethodDefinition<_hvswitch_v1_ListBridgeRequest, _hvswitch_v1_ListBridgeResponse, _hvswitch_v1_ListBridgeRequest__Output, _hvswitch_v1_ListBridgeResponse__Output>
  ListCounterDescriptor: MethodDefinition<_hvswitch_v1_ListCounterDescriptorRequest, _hvswitch_v1_ListCounterDescriptorResponse, _hvswitch_v1_ListCounterDescriptorRequest__Output, _hvswitch_v1_ListCounterDescriptorResponse__Output>
  ListFdb: MethodDefinition<_hvswitch_v1_ListFdbRequest, _hvswitch_v1_ListFdbResponse, _hvswitch_v1_ListFdbRequest__Output, _hvswitch_v1_ListFdbResponse__Output>
  ListPort: MethodDefinition<_hvswitch_v1_ListPortRequest, _hvswitch_v1_ListPortResponse, _hvswitch_v1_ListPortRequest__Output, _hvswitch_v1_ListPortResponse__Output>
  ListPortCounters: MethodDefinition<_hvswitch_v1_ListPortCountersRequest, _hvswitch_v1_ListPortCountersResponse, _hvswitch_v1_ListPortCountersRequest__Output, _hvswitch_v1_ListPortCountersResponse__Output>
  ListWorker: MethodDefinition<_hvswitch_v1_ListWorkerRequest, _hvswitch_v1_ListWorkerResponse, _hvswitch_v1_ListWorkerRequest__Output, _hvswitch_v1_ListWorkerResponse__Output>
  UpdatePort: MethodDefinition<_hvswitch_v1_UpdatePortRequest, _hvswitch_v1_UpdatePortResponse, _hvswitch_v1_UpdatePortRequest__Output, _hvswitch_v1_UpdatePortResponse__Output>
  WatchEvent: MethodDefinition<_hvswitch_v1_WatchEventRequest, _hvswitch_v1_WatchEventResponse, _hvswitch_v1_WatchEventRequest__Output, _hvswitch_v1_WatchEventResponse__Output>
}
