import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AddBridgeRequest as _hvswitch_v1_AddBridgeRequest, AddBridgeRequest__Output as _hvswitch_v1_AddBridgeRequest__Output } from './hvswitch/v1/AddBridgeRequest.js';
import type { AddBridgeResponse as _hvswitch_v1_AddBridgeResponse, AddBridgeResponse__Output as _hvswitch_v1_AddBridgeResponse__Output } from './hvswitch/v1/AddBridgeResponse.js';
import type { AddFdbRequest as _hvswitch_v1_AddFdbRequest, AddFdbRequest__Output as _hvswitch_v1_AddFdbRequest__Output } from './hvswitch/v1/AddFdbRequest.js';
import type { AddFdbResponse as _hvswitch_v1_AddFdbResponse, AddFdbResponse__Output as _hvswitch_v1_AddFdbResponse__Output } from './hvswitch/v1/AddFdbResponse.js';
import type { AddPortRequest as _hvswitch_v1_AddPortRequest, AddPortRequest__Output as _hvswitch_v1_AddPortRequest__Output } from './hvswitch/v1/AddPortRequest.js';
import type { AddPortResponse as _hvswitch_v1_AddPortResponse, AddPortResponse__Output as _hvswitch_v1_AddPortResponse__Output } from './hvswitch/v1/AddPortResponse.js';
import type { Bridge as _hvswitch_v1_Bridge, Bridge__Output as _hvswitch_v1_Bridge__Output } from './hvswitch/v1/Bridge.js';
import type { CounterDescriptor as _hvswitch_v1_CounterDescriptor, CounterDescriptor__Output as _hvswitch_v1_CounterDescriptor__Output } from './hvswitch/v1/CounterDescriptor.js';
import type { DeleteBridgeRequest as _hvswitch_v1_DeleteBridgeRequest, DeleteBridgeRequest__Output as _hvswitch_v1_DeleteBridgeRequest__Output } from './hvswitch/v1/DeleteBridgeRequest.js';
import type { DeleteBridgeResponse as _hvswitch_v1_DeleteBridgeResponse, DeleteBridgeResponse__Output as _hvswitch_v1_DeleteBridgeResponse__Output } from './hvswitch/v1/DeleteBridgeResponse.js';
import type { DeleteFdbRequest as _hvswitch_v1_DeleteFdbRequest, DeleteFdbRequest__Output as _hvswitch_v1_DeleteFdbRequest__Output } from './hvswitch/v1/DeleteFdbRequest.js';
import type { DeleteFdbResponse as _hvswitch_v1_DeleteFdbResponse, DeleteFdbResponse__Output as _hvswitch_v1_DeleteFdbResponse__Output } from './hvswitch/v1/DeleteFdbResponse.js';
import type { DeletePortRequest as _hvswitch_v1_DeletePortRequest, DeletePortRequest__Output as _hvswitch_v1_DeletePortRequest__Output } from './hvswitch/v1/DeletePortRequest.js';
import type { DeletePortResponse as _hvswitch_v1_DeletePortResponse, DeletePortResponse__Output as _hvswitch_v1_DeletePortResponse__Output } from './hvswitch/v1/DeletePortResponse.js';
import type { FdbEntry as _hvswitch_v1_FdbEntry, FdbEntry__Output as _hvswitch_v1_FdbEntry__Output } from './hvswitch/v1/FdbEntry.js';
import type { FdbEvent as _hvswitch_v1_FdbEvent, FdbEvent__Output as _hvswitch_v1_FdbEvent__Output } from './hvswitch/v1/FdbEvent.js';
import type { FlushFdbRequest as _hvswitch_v1_FlushFdbRequest, FlushFdbRequest__Output as _hvswitch_v1_FlushFdbRequest__Output } from './hvswitch/v1/FlushFdbRequest.js';
import type { FlushFdbResponse as _hvswitch_v1_FlushFdbResponse, FlushFdbResponse__Output as _hvswitch_v1_FlushFdbResponse__Output } from './hvswitch/v1/FlushFdbResponse.js';
import type { ListBridgeRequest as _hvswitch_v1_ListBridgeRequest, ListBridgeRequest__Output as _hvswitch_v1_ListBridgeRequest__Output } from './hvswitch/v1/ListBridgeRequest.js';
import type { ListBridgeResponse as _hvswitch_v1_ListBridgeResponse, ListBridgeResponse__Output as _hvswitch_v1_ListBridgeResponse__Output } from './hvswitch/v1/ListBridgeResponse.js';
import type { ListCounterDescriptorRequest as _hvswitch_v1_ListCounterDescriptorRequest, ListCounterDescriptorRequest__Output as _hvswitch_v1_ListCounterDescriptorRequest__Output } from './hvswitch/v1/ListCounterDescriptorRequest.js';
import type { ListCounterDescriptorResponse as _hvswitch_v1_ListCounterDescriptorResponse, ListCounterDescriptorResponse__Output as _hvswitch_v1_ListCounterDescriptorResponse__Output } from './hvswitch/v1/ListCounterDescriptorResponse.js';
import type { ListFdbRequest as _hvswitch_v1_ListFdbRequest, ListFdbRequest__Output as _hvswitch_v1_ListFdbRequest__Output } from './hvswitch/v1/ListFdbRequest.js';
import type { ListFdbResponse as _hvswitch_v1_ListFdbResponse, ListFdbResponse__Output as _hvswitch_v1_ListFdbResponse__Output } from './hvswitch/v1/ListFdbResponse.js';
import type { ListPortCountersRequest as _hvswitch_v1_ListPortCountersRequest, ListPortCountersRequest__Output as _hvswitch_v1_ListPortCountersRequest__Output } from './hvswitch/v1/ListPortCountersRequest.js';
import type { ListPortCountersResponse as _hvswitch_v1_ListPortCountersResponse, ListPortCountersResponse__Output as _hvswitch_v1_ListPortCountersResponse__Output } from './hvswitch/v1/ListPortCountersResponse.js';
import type { ListPortRequest as _hvswitch_v1_ListPortRequest, ListPortRequest__Output as _hvswitch_v1_ListPortRequest__Output } from './hvswitch/v1/ListPortRequest.js';
import type { ListPortResponse as _hvswitch_v1_ListPortResponse, ListPortResponse__Output as _hvswitch_v1_ListPortResponse__Output } from './hvswitch/v1/ListPortResponse.js';
import type { ListWorkerRequest as _hvswitch_v1_ListWorkerRequest, ListWorkerRequest__Output as _hvswitch_v1_ListWorkerRequest__Output } from './hvswitch/v1/ListWorkerRequest.js';
import type { ListWorkerResponse as _hvswitch_v1_ListWorkerResponse, ListWorkerResponse__Output as _hvswitch_v1_ListWorkerResponse__Output } from './hvswitch/v1/ListWorkerResponse.js';
import type { Port as _hvswitch_v1_Port, Port__Output as _hvswitch_v1_Port__Output } from './hvswitch/v1/Port.js';
import type { PortCounters as _hvswitch_v1_PortCounters, PortCounters__Output as _hvswitch_v1_PortCounters__Output } from './hvswitch/v1/PortCounters.js';
import type { PortStatus as _hvswitch_v1_PortStatus, PortStatus__Output as _hvswitch_v1_PortStatus__Output } from './hvswitch/v1/PortStatus.js';
import type { SwitchServiceClient as _hvswitch_v1_SwitchServiceClient, SwitchServiceDefinition as _hvswitch_v1_SwitchServiceDefinition } from './hvswitch/v1/SwitchService.js';
import type { UpdatePortRequest as _hvswitch_v1_UpdatePortRequest, UpdatePortRequest__Output as _hvswitch_v1_UpdatePortRequest__Output } from './hvswitch/v1/UpdatePortRequest.js';
import type { UpdatePortResponse as _hvswitch_v1_UpdatePortResponse, UpdatePortResponse__Output as _hvswitch_v1_UpdatePortResponse__Output } from './hvswitch/v1/UpdatePortResponse.js';
import type { WatchEventRequest as _hvswitch_v1_WatchEventRequest, WatchEventRequest__Output as _hvswitch_v1_WatchEventRequest__Output } from './hvswitch/v1/WatchEventRequest.js';
import type { WatchEventResponse as _hvswitch_v1_WatchEventResponse, WatchEventResponse__Output as _hvswitch_v1_WatchEventResponse__Output } from './hvswitch/v1/WatchEventResponse.js';
import type { WorkerStats as _hvswitch_v1_WorkerStats, WorkerStats__Output as _hvswitch_v1_WorkerStats__Output } from './hvswitch/v1/WorkerStats.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  hvswitch: {
    v1: {
      AddBridgeRequest: MessageTypeDefinition<_hvswitch_v1_AddBridgeRequest, _hvswitch_v1_AddBridgeRequest__Output>
      AddBridgeResponse: MessageTypeDefinition<_hvswitch_v1_AddBridgeResponse, _hvswitch_v1_AddBridgeResponse__Output>
      AddFdbRequest: MessageTypeDefinition<_hvswitch_v1_AddFdbRequest, _hvswitch_v1_AddFdbRequest__Output>
      AddFdbResponse: MessageTypeDefinition<_hvswitch_v1_AddFdbResponse, _hvswitch_v1_AddFdbResponse__Output>
      AddPortRequest: MessageTypeDefinition<_hvswitch_v1_AddPortRequest, _hvswitch_v1_AddPortRequest__Output>
      AddPortResponse: MessageTypeDefinition<_hvswitch_v1_AddPortResponse, _hvswitch_v1_AddPortResponse__Output>
      Bridge: MessageTypeDefinition<_hvswitch_v1_Bridge, _hvswitch_v1_Bridge__Output>
      CounterDescriptor: MessageTypeDefinition<_hvswitch_v1_CounterDescriptor, _hvswitch_v1_CounterDescriptor__Output>
      DeleteBridgeRequest: MessageTypeDefinition<_hvswitch_v1_DeleteBridgeRequest, _hvswitch_v1_DeleteBridgeRequest__Output>
      DeleteBridgeResponse: MessageTypeDefinition<_hvswitch_v1_DeleteBridgeResponse, _hvswitch_v1_DeleteBridgeResponse__Output>
      DeleteFdbRequest: MessageTypeDefinition<_hvswitch_v1_DeleteFdbRequest, _hvswitch_v1_DeleteFdbRequest__Output>
      DeleteFdbResponse: MessageTypeDefinition<_hvswitch_v1_DeleteFdbResponse, _hvswitch_v1_DeleteFdbResponse__Output>
      DeletePortRequest: MessageTypeDefinition<_hvswitch_v1_DeletePortRequest, _hvswitch_v1_DeletePortRequest__Output>
      DeletePortResponse: MessageTypeDefinition<_hvswitch_v1_DeletePortResponse, _hvswitch_v1_DeletePortResponse__Output>
      FdbEntry: MessageTypeDefinition<_hvswitch_v1_FdbEntry, _hvswitch_v1_FdbEntry__Output>
      FdbEvent: MessageTypeDefinition<_hvswitch_v1_FdbEvent, _hvswitch_v1_FdbEvent__Output>
      FdbEventType: EnumTypeDefinition
      FlushFdbRequest: MessageTypeDefinition<_hvswitch_v1_FlushFdbRequest, _hvswitch_v1_FlushFdbRequest__Output>
      FlushFdbResponse: MessageTypeDefinition<_hvswitch_v1_FlushFdbResponse, _hvswitch_v1_FlushFdbResponse__Output>
      ListBridgeRequest: MessageTypeDefinition<_hvswitch_v1_ListBridgeRequest, _hvswitch_v1_ListBridgeRequest__Output>
      ListBridgeResponse: MessageTypeDefinition<_hvswitch_v1_ListBridgeResponse, _hvswitch_v1_ListBridgeResponse__Output>
      ListCounterDescriptorRequest: MessageTypeDefinition<_hvswitch_v1_ListCounterDescriptorRequest, _hvswitch_v1_ListCounterDescriptorRequest__Output>
      ListCounterDescriptorResponse: MessageTypeDefinition<_hvswitch_v1_ListCounterDescriptorResponse, _hvswitch_v1_ListCounterDescriptorResponse__Output>
      ListFdbRequest: MessageTypeDefinition<_hvswitch_v1_ListFdbRequest, _hvswitch_v1_ListFdbRequest__Output>
      ListFdbResponse: MessageTypeDefinition<_hvswitch_v1_ListFdbResponse, _hvswitch_v1_ListFdbResponse__Output>
      ListPortCountersRequest: MessageTypeDefinition<_hvswitch_v1_ListPortCountersRequest, _hvswitch_v1_ListPortCountersRequest__Output>
      ListPortCountersResponse: MessageTypeDefinition<_hvswitch_v1_ListPortCountersResponse, _hvswitch_v1_ListPortCountersResponse__Output>
      ListPortRequest: MessageTypeDefinition<_hvswitch_v1_ListPortRequest, _hvswitch_v1_ListPortRequest__Output>
      ListPortResponse: MessageTypeDefinition<_hvswitch_v1_ListPortResponse, _hvswitch_v1_ListPortResponse__Output>
      ListWorkerRequest: MessageTypeDefinition<_hvswitch_v1_ListWorkerRequest, _hvswitch_v1_ListWorkerRequest__Output>
      ListWorkerResponse: MessageTypeDefinition<_hvswitch_v1_ListWorkerResponse, _hvswitch_v1_ListWorkerResponse__Output>
      Port: MessageTypeDefinition<_hvswitch_v1_Port, _hvswitch_v1_Port__Output>
      PortBackend: EnumTypeDefinition
      PortCounters: MessageTypeDefinition<_hvswitch_v1_PortCounters, _hvswitch_v1_PortCounters__Output>
      PortMode: EnumTypeDefinition
      PortStatus: MessageTypeDefinition<_hvswitch_v1_PortStatus, _hvswitch_v1_PortStatus__Output>
      SwitchService: SubtypeConstructor<typeof grpc.Client, _hvswitch_v1_SwitchServiceClient> & { service: _hvswitch_v1_SwitchServiceDefinition }
      UpdatePortRequest: MessageTypeDefinition<_hvswitch_v1_UpdatePortRequest, _hvswitch_v1_UpdatePortRequest__Output>
      UpdatePortResponse: MessageTypeDefinition<_hvswitch_v1_UpdatePortResponse, _hvswitch_v1_UpdatePortResponse__Output>
      WatchEventRequest: MessageTypeDefinition<_hvswitch_v1_WatchEventRequest, _hvswitch_v1_WatchEventRequest__Output>
      WatchEventResponse: MessageTypeDefinition<_hvswitch_v1_WatchEventResponse, _hvswitch_v1_WatchEventResponse__Output>
      WorkerStats: MessageTypeDefinition<_hvswitch_v1_WorkerStats, _hvswitch_v1_WorkerStats__Output>
    }
  }
}

