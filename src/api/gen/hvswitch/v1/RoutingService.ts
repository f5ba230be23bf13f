// Original file: proto/hvswitch/v1/routing.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AddNeighborRequest as _hvswitch_v1_AddNeighborRequest, AddNeighborRequest__Output as _hvswitch_v1_AddNeighborRequest__Output } from '../../hvswitch/v1/AddNeighborRequest.js';
import type { AddNeighborResponse as _hvswitch_v1_AddNeighborResponse, AddNeighborResponse__Output as _hvswitch_v1_AddNeighborResponse__Output } from '../../hvswitch/v1/AddNeighborResponse.js';
import type { AddRouteRequest as _hvswitch_v1_AddRouteRequest, AddRouteRequest__Output as _hvswitch_v1_AddRouteRequest__Output } from '../../hvswitch/v1/AddRouteRequest.js';
import type { AddRouteResponse as _hvswitch_v1_AddRouteResponse, AddRouteResponse__Output as _hvswitch_v1_AddRouteResponse__Output } from '../../hvswitch/v1/AddRouteResponse.js';
import type { AddVrfRequest as _hvswitch_v1_AddVrfRequest, AddVrfRequest__Output as _hvswitch_v1_AddVrfRequest__Output } from '../../hvswitch/v1/AddVrfRequest.js';
import type { AddVrfResponse as _hvswitch_v1_AddVrfResponse, AddVrfResponse__Output as _hvswitch_v1_AddVrfResponse__Output } from '../../hvswitch/v1/AddVrfResponse.js';
import type { DeleteRouteRequest as _hvswitch_v1_DeleteRouteRequest, DeleteRouteRequest__Output as _hvswitch_v1_DeleteRouteRequest__Output } from '../../hvswitch/v1/DeleteRouteRequest.js';
import type { DeleteRouteResponse as _hvswitch_v1_DeleteRouteResponse, DeleteRouteResponse__Output as _hvswitch_v1_DeleteRouteResponse__Output } from '../../hvswitch/v1/DeleteRouteResponse.js';
import type { DeleteVrfRequest as _hvswitch_v1_DeleteVrfRequest, DeleteVrfRequest__Output as _hvswitch_v1_DeleteVrfRequest__Output } from '../../hvswitch/v1/DeleteVrfRequest.js';
import type { DeleteVrfResponse as _hvswitch_v1_DeleteVrfResponse, DeleteVrfResponse__Output as _hvswitch_v1_DeleteVrfResponse__Output } from '../../hvswitch/v1/DeleteVrfResponse.js';
import type { FlushNeighborRequest as _hvswitch_v1_FlushNeighborRequest, FlushNeighborRequest__Output as _hvswitch_v1_FlushNeighborRequest__Output } from '../../hvswitch/v1/FlushNeighborRequest.js';
import type { FlushNeighborResponse as _hvswitch_v1_FlushNeighborResponse, FlushNeighborResponse__Output as _hvswitch_v1_FlushNeighborResponse__Output } from '../../hvswitch/v1/FlushNeighborResponse.js';
import type { ListNeighborRequest as _hvswitch_v1_ListNeighborRequest, ListNeighborRequest__Output as _hvswitch_v1_ListNeighborRequest__Output } from '../../hvswitch/v1/ListNeighborRequest.js';
import type { ListNeighborResponse as _hvswitch_v1_ListNeighborResponse, ListNeighborResponse__Output as _hvswitch_v1_ListNeighborResponse__Output } from '../../hvswitch/v1/ListNeighborResponse.js';
import type { ListRouteRequest as _hvswitch_v1_ListRouteRequest, ListRouteRequest__Output as _hvswitch_v1_ListRouteRequest__Output } from '../../hvswitch/v1/ListRouteRequest.js';
import type { ListRouteResponse as _hvswitch_v1_ListRouteResponse, ListRouteResponse__Output as _hvswitch_v1_ListRouteResponse__Output } from '../../hvswitch/v1/ListRouteResponse.js';
import type { ListVrfRequest as _hvswitch_v1_ListVrfRequest, ListVrfRequest__Output as _hvswitch_v1_ListVrfRequest__Output } from '../../hvswitch/v1/ListVrfRequest.js';
import type { ListVrfResponse as _hvswitch_v1_ListVrfResponse, ListVrfResponse__Output as _hvswitch_v1_ListVrfResponse__Output } from '../../hvswitch/v1/ListVrfResponse.js';

export interface RoutingServiceClient extends grpc.Client {
  /**
   * Stable.  Adds (or replaces) a permanent entry on a routed or vm port.
   */
  AddNeighbor(argument: _hvswitch_v1_AddNeighborRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddNeighborResponse__Output>): grpc.ClientUnaryCall;
  AddNeighbor(argument: _hvswitch_v1_AddNeighborRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_AddNeighborResponse__Output>): grpc.ClientUnaryCall;
  AddNeighbor(argument: _hvswitch_v1_AddNeighborRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddNeighborResponse__Output>): grpc.ClientUnaryCall;
  AddNeighbor(argument: _hvswitch_v1_AddNeighborRequest, callback: grpc.requestCallback<_hvswitch_v1_AddNeighborResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  Adds (or replaces) a permanent entry on a routed or vm port.
   */
  addNeighbor(argument: _hvswitch_v1_AddNeighborRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddNeighborResponse__Output>): grpc.ClientUnaryCall;
  addNeighbor(argument: _hvswitch_v1_AddNeighborRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_AddNeighborResponse__Output>): grpc.ClientUnaryCall;
  addNeighbor(argument: _hvswitch_v1_AddNeighborRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddNeighborResponse__Output>): grpc.ClientUnaryCall;
  addNeighbor(argument: _hvswitch_v1_AddNeighborRequest, callback: grpc.requestCallback<_hvswitch_v1_AddNeighborResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.  Adds a static route (config `vrfs.<vrf>.routes`).  ALREADY_EXISTS
   * if the VRF has a static route to that prefix, unless `replace`.
   */
  AddRoute(argument: _hvswitch_v1_AddRouteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddRouteResponse__Output>): grpc.ClientUnaryCall;
  AddRoute(argument: _hvswitch_v1_AddRouteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_AddRouteResponse__Output>): grpc.ClientUnaryCall;
  AddRoute(argument: _hvswitch_v1_AddRouteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddRouteResponse__Output>): grpc.ClientUnaryCall;
  AddRoute(argument: _hvswitch_v1_AddRouteRequest, callback: grpc.requestCallback<_hvswitch_v1_AddRouteResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  Adds a static route (config `vrfs.<vrf>.routes`).  ALREADY_EXISTS
   * if the VRF has a static route to that prefix, unless `replace`.
   */
  addRoute(argument: _hvswitch_v1_AddRouteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddRouteResponse__Output>): grpc.ClientUnaryCall;
  addRoute(argument: _hvswitch_v1_AddRouteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_AddRouteResponse__Output>): grpc.ClientUnaryCall;
  addRoute(argument: _hvswitch_v1_AddRouteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddRouteResponse__Output>): grpc.ClientUnaryCall;
  addRoute(argument: _hvswitch_v1_AddRouteRequest, callback: grpc.requestCallback<_hvswitch_v1_AddRouteResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.  ALREADY_EXISTS if a VRF of that name exists.
   */
  AddVrf(argument: _hvswitch_v1_AddVrfRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddVrfResponse__Output>): grpc.ClientUnaryCall;
  AddVrf(argument: _hvswitch_v1_AddVrfRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_AddVrfResponse__Output>): grpc.ClientUnaryCall;
  AddVrf(argument: _hvswitch_v1_AddVrfRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddVrfResponse__Output>): grpc.ClientUnaryCall;
  AddVrf(argument: _hvswitch_v1_AddVrfRequest, callback: grpc.requestCallback<_hvswitch_v1_AddVrfResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  ALREADY_EXISTS if a VRF of that name exists.
   */
  addVrf(argument: _hvswitch_v1_AddVrfRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddVrfResponse__Output>): grpc.ClientUnaryCall;
  addVrf(argument: _hvswitch_v1_AddVrfRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_AddVrfResponse__Output>): grpc.ClientUnaryCall;
  addVrf(argument: _hvswitch_v1_AddVrfRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_AddVrfResponse__Output>): grpc.ClientUnaryCall;
  addVrf(argument: _hvswitch_v1_AddVrfRequest, callback: grpc.requestCallback<_hvswitch_v1_AddVrfResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.  Removes the static route to a prefix.  NOT_FOUND if there is
   * none; FAILED_PRECONDITION for a connected/local/vm route (change the port).
   */
  DeleteRoute(argument: _hvswitch_v1_DeleteRouteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeleteRouteResponse__Output>): grpc.ClientUnaryCall;
  DeleteRoute(argument: _hvswitch_v1_DeleteRouteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_DeleteRouteResponse__Output>): grpc.ClientUnaryCall;
  DeleteRoute(argument: _hvswitch_v1_DeleteRouteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeleteRouteResponse__Output>): grpc.ClientUnaryCall;
  DeleteRoute(argument: _hvswitch_v1_DeleteRouteRequest, callback: grpc.requestCallback<_hvswitch_v1_DeleteRouteResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  Removes the static route to a prefix.  NOT_FOUND if there is
   * none; FAILED_PRECONDITION for a connected/local/vm route (change the port).
   */
  deleteRoute(argument: _hvswitch_v1_DeleteRouteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeleteRouteResponse__Output>): grpc.ClientUnaryCall;
  deleteRoute(argument: _hvswitch_v1_DeleteRouteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_DeleteRouteResponse__Output>): grpc.ClientUnaryCall;
  deleteRoute(argument: _hvswitch_v1_DeleteRouteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeleteRouteResponse__Output>): grpc.ClientUnaryCall;
  deleteRoute(argument: _hvswitch_v1_DeleteRouteRequest, callback: grpc.requestCallback<_hvswitch_v1_DeleteRouteResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.  Removes the VRF and its static routes.  FAILED_PRECONDITION
   * while routed or vm ports are in it.
   */
  DeleteVrf(argument: _hvswitch_v1_DeleteVrfRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeleteVrfResponse__Output>): grpc.ClientUnaryCall;
  DeleteVrf(argument: _hvswitch_v1_DeleteVrfRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_DeleteVrfResponse__Output>): grpc.ClientUnaryCall;
  DeleteVrf(argument: _hvswitch_v1_DeleteVrfRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeleteVrfResponse__Output>): grpc.ClientUnaryCall;
  DeleteVrf(argument: _hvswitch_v1_DeleteVrfRequest, callback: grpc.requestCallback<_hvswitch_v1_DeleteVrfResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  Removes the VRF and its static routes.  FAILED_PRECONDITION
   * while routed or vm ports are in it.
   */
  deleteVrf(argument: _hvswitch_v1_DeleteVrfRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeleteVrfResponse__Output>): grpc.ClientUnaryCall;
  deleteVrf(argument: _hvswitch_v1_DeleteVrfRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_DeleteVrfResponse__Output>): grpc.ClientUnaryCall;
  deleteVrf(argument: _hvswitch_v1_DeleteVrfRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_DeleteVrfResponse__Output>): grpc.ClientUnaryCall;
  deleteVrf(argument: _hvswitch_v1_DeleteVrfRequest, callback: grpc.requestCallback<_hvswitch_v1_DeleteVrfResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.  Removes resolved and pending entries (permanent ones if asked).
   */
  FlushNeighbor(argument: _hvswitch_v1_FlushNeighborRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_FlushNeighborResponse__Output>): grpc.ClientUnaryCall;
  FlushNeighbor(argument: _hvswitch_v1_FlushNeighborRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_FlushNeighborResponse__Output>): grpc.ClientUnaryCall;
  FlushNeighbor(argument: _hvswitch_v1_FlushNeighborRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_FlushNeighborResponse__Output>): grpc.ClientUnaryCall;
  FlushNeighbor(argument: _hvswitch_v1_FlushNeighborRequest, callback: grpc.requestCallback<_hvswitch_v1_FlushNeighborResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stable.  Removes resolved and pending entries (permanent ones if asked).
   */
  flushNeighbor(argument: _hvswitch_v1_FlushNeighborRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_FlushNeighborResponse__Output>): grpc.ClientUnaryCall;
  flushNeighbor(argument: _hvswitch_v1_FlushNeighborRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hvswitch_v1_FlushNeighborResponse__Output>): grpc.ClientUnaryCall;
  flushNeighbor(argument: _hvswitch_v1_FlushNeighborRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hvswitch_v1_FlushNeighborResponse__Output>): grpc.ClientUnaryCall;
  flushNeighbor(argument: _hvswitch_v1_FlushNeighborRequest, callback: grpc.requestCallback<_hvswitch_v1_FlushNeighborResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stable.
   */
  ListNeighbor(argument: _hvswitch_v1_ListNeighborRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListNeighborResponse__Output>;
  ListNeighbor(argument: _hvswitch_v1_ListNeighborRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListNeighborResponse__Output>;
  /**
   * Stable.
   */
  listNeighbor(argument: _hvswitch_v1_ListNeighborRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListNeighborResponse__Output>;
  listNeighbor(argument: _hvswitch_v1_ListNeighborRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListNeighborResponse__Output>;
  
  /**
   * Stable.  The FIB: static routes and the connected, local and vm routes
   * derived from the ports, with their origin.
   */
  ListRoute(argument: _hvswitch_v1_ListRouteRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListRouteResponse__Output>;
  ListRoute(argument: _hvswitch_v1_ListRouteRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListRouteResponse__Output>;
  /**
   * Stable.  The FIB: static routes and the connected, local and vm routes
   * derived from the ports, with their origin.
   */
  listRoute(argument: _hvswitch_v1_ListRouteRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListRouteResponse__Output>;
  listRoute(argument: _hvswitch_v1_ListRouteRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListRouteResponse__Output>;
  
  /**
   * Stable.
   */
  ListVrf(argument: _hvswitch_v1_ListVrfRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListVrfResponse__Output>;
  ListVrf(argument: _hvswitch_v1_ListVrfRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListVrfResponse__Output>;
  /**
   * Stable.
   */
  listVrf(argument: _hvswitch_v1_ListVrfRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListVrfResponse__Output>;
  listVrf(argument: _hvswitch_v1_ListVrfRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hvswitch_v1_ListVrfResponse__Output>;
  
}

export interface RoutingServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Stable.  Adds (or replaces) a permanent entry on a routed or vm port.
   */
  AddNeighbor: grpc.handleUnaryCall<_hvswitch_v1_AddNeighborRequest__Output, _hvswitch_v1_AddNeighborResponse>;
  
  /**
   * Stable.  Adds a static route (config `vrfs.<vrf>.routes`).  ALREADY_EXISTS
   * if the VRF has a static route to that prefix, unless `replace`.
   */
  AddRoute: grpc.handleUnaryCall<_hvswitch_v1_AddRouteRequest__Output, _hvswitch_v1_AddRouteResponse>;
  
  /**
   * Stable.  ALREADY_EXISTS if a VRF of that name exists.
   */
  AddVrf: grpc.handleUnaryCall<_hvswitch_v1_AddVrfRequest__Output, _hvswitch_v1_AddVrfResponse>;
  
  /**
   * Stable.  Removes the static route to a prefix.  NOT_FOUND if there is
   * none; FAILED_PRECONDITION for a connected/local/vm route (change the port).
   */
  DeleteRoute: grpc.handleUnaryCall<_hvswitch_v1_DeleteRouteRequest__Output, _hvswitch_v1_DeleteRouteResponse>;
  
  /**
   * Stable.  Removes the VRF and its static routes.  FAILED_PRECONDITION
   * while routed or vm ports are in it.
   */
  DeleteVrf: grpc.handleUnaryCall<_hvswitch_v1_DeleteVrfRequest__Output, _hvswitch_v1_DeleteVrfResponse>;
  
  /**
   * Stable.  Removes resolved and pending entries (permanent ones if asked).
   */
  FlushNeighbor: grpc.handleUnaryCall<_hvswitch_v1_FlushNeighborRequest__Output, _hvswitch_v1_FlushNeighborResponse>;
  
  /**
   * Stable.
   */
  ListNeighbor: grpc.handleServerStreamingCall<_hvswitch_v1_ListNeighborRequest__Output, _hvswitch_v1_ListNeighborResponse>;
  
  /**
   * Stable.  The FIB: static routes and the connected, local and vm routes
   * derived from the ports, with their origin.
   */
  ListRoute: grpc.handleServerStreamingCall<_hvswitch_v1_ListRouteRequest__Output, _hvswitch_v1_ListRouteResponse>;
  
  /**
   * Stable.
   */
  ListVrf: grpc.handleServerStreamingCall<_hvswitch_v1_ListVrfRequest__Output, _hvswitch_v1_ListVrfResponse>;
  
}

export interface RoutingServiceDefinition extends grpc.ServiceDefinition {
  AddNeighbor: MethodDefinition<_hvswitch_v1_AddNeighborRequest, _hvswitch_v1_AddNeighborResponse, _hvswitch_v1_AddNeighborRequest__Output, _hvswitch_v1_AddNeighborResponse__Output>
  AddRoute: MethodDefinition<_hvswitch_v1_AddRouteRequest, _hvswitch_v1_AddRouteResponse, _hvswitch_v1_AddRouteRequest__Output, _hvswitch_v1_AddRouteResponse__Output>
  AddVrf: MethodDefinition<_hvswitch_v1_AddVrfRequest, _hvswitch_v1_AddVrfResponse, _hvswitch_v1_AddVrfRequest__Output, _hvswitch_v1_AddVrfResponse__Output>
  DeleteRoute: MethodDefinition<_hvswitch_v1_DeleteRouteRequest, _hvswitch_v1_DeleteRouteResponse, _hvswitch_v1_DeleteRouteRequest__Output, _hvswitch_v1_DeleteRouteResponse__Output>
  DeleteVrf: MethodDefinition<_hvswitch_v1_DeleteVrfRequest, _hvswitch_v1_DeleteVrfResponse, _hvswitch_v1_DeleteVrfRequest__Output, _hvswitch_v1_DeleteVrfResponse__Output>
  FlushNeighbor: MethodDefinition<_hvswitch_v1_FlushNeighborRequest, _hvswitch_v1_FlushNeighborResponse, _hvswitch_v1_FlushNeighborRequest__Output, _hvswitch_v1_FlushNeighborResponse__Output>
  ListNeighbor: MethodDefinition<_hvswitch_v1_ListNeighborRequest, _hvswitch_v1_ListNeighborResponse, _hvswitch_v1_ListNeighborRequest__Output, _hvswitch_v1_ListNeighborResponse__Output>
  ListRoute: MethodDefinition<_hvswitch_v1_ListRouteRequest, _hvswitch_v1_ListRouteResponse, _hvswitch_v1_ListRouteRequest__Output, _hvswitch_v1_ListRouteResponse__Output>
  ListVrf: MethodDefinition<_hvswitch_v1_ListVrfRequest, _hvswitch_v1_ListVrfResponse, _hvswitch_v1_ListVrfRequest__Output, _hvswitch_v1_ListVrfResponse__Output>
}
