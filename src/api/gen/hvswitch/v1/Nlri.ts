// Original file: proto/hvswitch/v1/bgp.proto

import type { IpPrefix as _hvswitch_v1_IpPrefix, IpPrefix__Output as _hvswitch_v1_IpPrefix__Output } from '../../hvswitch/v1/IpPrefix.js';
import type { VpnPrefix as _hvswitch_v1_VpnPrefix, VpnPrefix__Output as _hvswitch_v1_VpnPrefix__Output } from '../../hvswitch/v1/VpnPrefix.js';
import type { EvpnEthernetAd as _hvswitch_v1_EvpnEthernetAd, EvpnEthernetAd__Output as _hvswitch_v1_EvpnEthernetAd__Output } from '../../hvswitch/v1/EvpnEthernetAd.js';
import type { EvpnMacIp as _hvswitch_v1_EvpnMacIp, EvpnMacIp__Output as _hvswitch_v1_EvpnMacIp__Output } from '../../hvswitch/v1/EvpnMacIp.js';
import type { EvpnMulticast as _hvswitch_v1_EvpnMulticast, EvpnMulticast__Output as _hvswitch_v1_EvpnMulticast__Output } from '../../hvswitch/v1/EvpnMulticast.js';
import type { EvpnEthernetSegment as _hvswitch_v1_EvpnEthernetSegment, EvpnEthernetSegment__Output as _hvswitch_v1_EvpnEthernetSegment__Output } from '../../hvswitch/v1/EvpnEthernetSegment.js';
import type { EvpnIpPrefix as _hvswitch_v1_EvpnIpPrefix, EvpnIpPrefix__Output as _hvswitch_v1_EvpnIpPrefix__Output } from '../../hvswitch/v1/EvpnIpPrefix.js';
import type { EvpnOpaque as _hvswitch_v1_EvpnOpaque, EvpnOpaque__Output as _hvswitch_v1_EvpnOpaque__Output } from '../../hvswitch/v1/EvpnOpaque.js';
import type { RouteTargetMembership as _hvswitch_v1_RouteTargetMembership, RouteTargetMembership__Output as _hvswitch_v1_RouteTargetMembership__Output } from '../../hvswitch/v1/RouteTargetMembership.js';

export interface Nlri {
  'prefix'?: (_hvswitch_v1_IpPrefix | null);
  'vpn'?: (_hvswitch_v1_VpnPrefix | null);
  'evpnEthernetAd'?: (_hvswitch_v1_EvpnEthernetAd | null);
  'evpnMacIp'?: (_hvswitch_v1_EvpnMacIp | null);
  'evpnMulticast'?: (_hvswitch_v1_EvpnMulticast | null);
  'evpnEthernetSegment'?: (_hvswitch_v1_EvpnEthernetSegment | null);
  'evpnIpPrefix'?: (_hvswitch_v1_EvpnIpPrefix | null);
  'evpnOpaque'?: (_hvswitch_v1_EvpnOpaque | null);
  'rtc'?: (_hvswitch_v1_RouteTargetMembership | null);
  'route'?: "prefix"|"vpn"|"evpnEthernetAd"|"evpnMacIp"|"evpnMulticast"|"evpnEthernetSegment"|"evpnIpPrefix"|"evpnOpaque"|"rtc";
}

export interface Nlri__Output {
  'prefix'?: (_hvswitch_v1_IpPrefix__Output | null);
  'vpn'?: (_hvswitch_v1_VpnPrefix__Output | null);
  'evpnEthernetAd'?: (_hvswitch_v1_EvpnEthernetAd__Output | null);
  'evpnMacIp'?: (_hvswitch_v1_EvpnMacIp__Output | null);
  'evpnMulticast'?: (_hvswitch_v1_EvpnMulticast__Output | null);
  'evpnEthernetSegment'?: (_hvswitch_v1_EvpnEthernetSegment__Output | null);
  'evpnIpPrefix'?: (_hvswitch_v1_EvpnIpPrefix__Output | null);
  'evpnOpaque'?: (_hvswitch_v1_EvpnOpaque__Output | null);
  'rtc'?: (_hvswitch_v1_RouteTargetMembership__Output | null);
  'route'?: "prefix"|"vpn"|"evpnEthernetAd"|"evpnMacIp"|"evpnMulticast"|"evpnEthernetSegment"|"evpnIpPrefix"|"evpnOpaque"|"rtc";
}
