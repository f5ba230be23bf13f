import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Bridge as _hvswitch_v1_Bridge, Bridge__Output as _hvswitch_v1_Bridge__Output } from './hvswitch/v1/Bridge.js';
import type { CounterDescriptor as _hvswitch_v1_CounterDescriptor, CounterDescriptor__Output as _hvswitch_v1_CounterDescriptor__Output } from './hvswitch/v1/CounterDescriptor.js';
import type { FdbEntry as _hvswitch_v1_FdbEntry, FdbEntry__Output as _hvswitch_v1_FdbEntry__Output } from './hvswitch/v1/FdbEntry.js';
import type { FdbEvent as _hvswitch_v1_FdbEvent, FdbEvent__Output as _hvswitch_v1_FdbEvent__Output } from './hvswitch/v1/FdbEvent.js';
import type { Port as _hvswitch_v1_Port, Port__Output as _hvswitch_v1_Port__Output } from './hvswitch/v1/Port.js';
import type { PortCounters as _hvswitch_v1_PortCounters, PortCounters__Output as _hvswitch_v1_PortCounters__Output } from './hvswitch/v1/PortCounters.js';
import type { PortStatus as _hvswitch_v1_PortStatus, PortStatus__Output as _hvswitch_v1_PortStatus__Output } from './hvswitch/v1/PortStatus.js';
import type { WorkerStats as _hvswitch_v1_WorkerStats, WorkerStats__Output as _hvswitch_v1_WorkerStats__Output } from './hvswitch/v1/WorkerStats.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  hvswitch: {
    v1: {
      Bridge: MessageTypeDefinition<_hvswitch_v1_Bridge, _hvswitch_v1_Bridge__Output>
      CounterDescriptor: MessageTypeDefinition<_hvswitch_v1_CounterDescriptor, _hvswitch_v1_CounterDescriptor__Output>
      FdbEntry: MessageTypeDefinition<_hvswitch_v1_FdbEntry, _hvswitch_v1_FdbEntry__Output>
      FdbEvent: MessageTypeDefinition<_hvswitch_v1_FdbEvent, _hvswitch_v1_FdbEvent__Output>
      FdbEventType: EnumTypeDefinition
      Port: MessageTypeDefinition<_hvswitch_v1_Port, _hvswitch_v1_Port__Output>
      PortBackend: EnumTypeDefinition
      PortCounters: MessageTypeDefinition<_hvswitch_v1_PortCounters, _hvswitch_v1_PortCounters__Output>
      PortMode: EnumTypeDefinition
      PortStatus: MessageTypeDefinition<_hvswitch_v1_PortStatus, _hvswitch_v1_PortStatus__Output>
      WorkerStats: MessageTypeDefinition<_hvswitch_v1_WorkerStats, _hvswitch_v1_WorkerStats__Output>
    }
  }
}

