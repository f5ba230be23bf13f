/**
 * Path attribute codec contract (RFC 4271 §4.3, §5). Each attribute module
 * exports one codec: its type code, the Optional/Transitive flag bits it must
 * carry, the RFC 7606 §7 action for a malformed value, and decode/encode of
 * the value (without the attribute header). Decoders throw BgpDecodeError.
 */
import type { ErrorAction } from '../errors.js';

export const AttrFlag = { Optional: 0x80, Transitive: 0x40, Partial: 0x20, ExtendedLength: 0x10 } as const;

export const AttrCode = {
  Origin: 1, AsPath: 2, NextHop: 3, Med: 4, LocalPref: 5, AtomicAggregate: 6, Aggregator: 7, Communities: 8,
  OriginatorId: 9, ClusterList: 10, MpReach: 14, MpUnreach: 15, ExtCommunities: 16, As4Path: 17, As4Aggregator: 18,
  PmsiTunnel: 22, LargeCommunities: 32,
} as const;

export interface AttrContext {
  /** both sides sent the 4-octet AS capability (RFC 6793) */
  as4: boolean;
  /** accept 127/8 next hops (tests on loopback only) */
  allowLoopbackNextHop?: boolean;
}

export type AsSegmentType = 'set' | 'seq' | 'confed-seq' | 'confed-set';
export interface AsSegment { type: AsSegmentType; asns: number[] }
export interface Aggregator { as: number; address: string }
export interface PmsiTunnel { flags: number; tunnelType: number; /** raw 24-bit label field (VNI for VXLAN) */ label: number; tunnelId: string }
export interface UnknownAttr { code: number; flags: number; value: string }

/** Decoded path attributes; every field JSON-able. ASNs are always 4-octet here. */
export interface PathAttrs {
  origin?: number;
  asPath?: AsSegment[];
  nextHop?: string;
  med?: number;
  localPref?: number;
  atomicAggregate?: boolean;
  aggregator?: Aggregator;
  communities?: string[];
  originatorId?: string;
  clusterList?: string[];
  extCommunities?: string[];
  largeCommunities?: string[];
  pmsiTunnel?: PmsiTunnel;
  as4Path?: AsSegment[];
  as4Aggregator?: Aggregator;
  unknown?: UnknownAttr[];
}

export interface AttrCodec<K extends keyof PathAttrs = keyof PathAttrs> {
  readonly code: number;
  readonly key: K;
  /** Optional | Transitive bits the attribute must carry (RFC 4271 §5) */
  readonly flags: number;
  /** RFC 7606 action when the value is malformed */
  readonly malformed: ErrorAction;
  decode(v: Buffer, ctx: AttrContext): NonNullable<PathAttrs[K]>;
  encode(v: NonNullable<PathAttrs[K]>, ctx: AttrContext): Buffer;
}
