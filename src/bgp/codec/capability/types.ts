/**
 * Capabilities advertisement (RFC 5492): each capability is code, length,
 * value inside OPEN optional parameter type 2. One module per capability;
 * `Capabilities` is the decoded set, JSON-able.
 */
export interface AfiSafi { afi: number; safi: number }
export interface GracefulRestartCap {
  /** R bit: the sender has restarted (RFC 4724 §3) */
  restarting: boolean;
  /** N bit: graceful NOTIFICATION support (RFC 8538) */
  notification: boolean;
  /** restart time, seconds (12 bits) */
  time: number;
  families: Array<AfiSafi & { forwarding: boolean }>;
}
export interface ExtendedNextHopTuple { afi: number; safi: number; nextHopAfi: number }
/** RFC 7911 §4: 1 receive, 2 send, 3 both */
export interface AddPathTuple extends AfiSafi { mode: 1 | 2 | 3 }

export interface Capabilities {
  multiprotocol: AfiSafi[];
  as4?: number;
  routeRefresh?: boolean;
  enhancedRouteRefresh?: boolean;
  gracefulRestart?: GracefulRestartCap;
  extendedNextHop?: ExtendedNextHopTuple[];
  addPath?: AddPathTuple[];
  extendedMessage?: boolean;
  unknown?: Array<{ code: number; value: string }>;
}

export interface CapabilityCodec {
  readonly code: number;
  readonly name: string;
  /** merge one capability value into `caps` (several may appear, e.g. MP); throws BgpDecodeError */
  decode(v: Buffer, caps: Capabilities): void;
  /** encoded values (one capability TLV each) for what `caps` holds */
  encode(caps: Capabilities): Buffer[];
}
