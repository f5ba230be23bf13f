// Loads proto/hvswitch/v1/*.proto at run time (@grpc/proto-loader: pure JS, no
// protoc).  The TypeScript types in ./gen/ are generated from the same files by
// ./gen.sh with the same options as LOADER_OPTIONS; a unit test keeps them in step.
import { join } from 'node:path';

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

import { packageRoot } from '../util/root.js';
import type { ProtoGrpcType as BgpProto } from './gen/bgp.js';
import type { ProtoGrpcType as DaemonProto } from './gen/daemon.js';
import type { ProtoGrpcType as EvpnProto } from './gen/evpn.js';
import type { ProtoGrpcType as LacpProto } from './gen/lacp.js';
import type { ProtoGrpcType as RoutingProto } from './gen/routing.js';
import type { ProtoGrpcType as StpProto } from './gen/stp.js';
import type { ProtoGrpcType as SwitchProto } from './gen/switch.js';

export const PROTO_FILES = [
  'hvswitch/v1/l2.proto',
  'hvswitch/v1/switch.proto',
  'hvswitch/v1/daemon.proto',
  'hvswitch/v1/l3.proto',
  'hvswitch/v1/routing.proto',
  'hvswitch/v1/bgp.proto',
  'hvswitch/v1/evpn.proto',
  'hvswitch/v1/stp.proto',
  'hvswitch/v1/lacp.proto',
];

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: true,
  includeDirs: [],
};

export type HvswitchProto = SwitchProto & DaemonProto & RoutingProto & BgpProto & EvpnProto & StpProto & LacpProto;

let cached: { packageDefinition: protoLoader.PackageDefinition; proto: HvswitchProto } | undefined;

export function protoDir(): string {
  return join(packageRoot(), 'proto');
}

export function loadProto(): { packageDefinition: protoLoader.PackageDefinition; proto: HvswitchProto } {
  if (!cached) {
    const packageDefinition = protoLoader.loadSync(PROTO_FILES, { ...LOADER_OPTIONS, includeDirs: [protoDir()] });
    const proto = grpc.loadPackageDefinition(packageDefinition) as unknown as HvswitchProto;
    cached = { packageDefinition, proto };
  }
  return cached;
}

/** The fully qualified names of our services (health and reflection list them). */
export const SERVICE_NAMES = ['hvswitch.v1.SwitchService', 'hvswitch.v1.DaemonService', 'hvswitch.v1.RoutingService', 'hvswitch.v1.BgpService', 'hvswitch.v1.EvpnService', 'hvswitch.v1.StpService', 'hvswitch.v1.LacpService'] as const;
