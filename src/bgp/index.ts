/** Public surface of the BGP speaker for the rest of the controller. */
export { BgpSpeaker, type SpeakerOptions, type NeighborOptions, type NeighborInfo, type RibEntry, type RibPath, type BestPathChange } from './speaker.js';
export { BgpConfig, BgpNeighborConfig, validateBgpConfig, speakerOptionsFromConfig, parseCommunity, ADVERTISE_KINDS, WELL_KNOWN_COMMUNITIES, type AdvertiseKind, type ConfigError } from './config.js';
export { FAMILIES, FAMILY_NAMES, familyByName, type FamilyName, type RouteByFamily, type AnyRoute } from './codec/family.js';
export type { PathAttrs } from './codec/attr/types.js';
export type { PrefixRoute } from './codec/nlri/prefix.js';
export type { VpnRoute } from './codec/nlri/vpn.js';
export type { EvpnRoute } from './codec/nlri/evpn/index.js';
export type { RtcRoute } from './codec/nlri/rtc.js';
export { State as BgpState, Event as BgpEvent } from './fsm.js';
export { systemClock, VirtualClock, type Clock } from '../util/clock.js';
export { parseRouteArgs, RouteArgsError } from './cli-args.js';
export { normaliseRouteTarget, hasRouteTarget, autoRouteTarget, macMobility, compareMacMobility } from './policy.js';
export { MESSAGE_COUNTERS, withTotal, zeroMessageCounts, type MessageCounts, type MessageCounterKey } from './message-counters.js';
