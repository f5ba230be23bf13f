// Original file: proto/hvswitch/v1/bgp.proto

import type { Origin as _hvswitch_v1_Origin, Origin__Output as _hvswitch_v1_Origin__Output } from '../../hvswitch/v1/Origin.js';
import type { AsSegment as _hvswitch_v1_AsSegment, AsSegment__Output as _hvswitch_v1_AsSegment__Output } from '../../hvswitch/v1/AsSegment.js';
import type { Aggregator as _hvswitch_v1_Aggregator, Aggregator__Output as _hvswitch_v1_Aggregator__Output } from '../../hvswitch/v1/Aggregator.js';
import type { PmsiTunnel as _hvswitch_v1_PmsiTunnel, PmsiTunnel__Output as _hvswitch_v1_PmsiTunnel__Output } from '../../hvswitch/v1/PmsiTunnel.js';
import type { UnknownAttribute as _hvswitch_v1_UnknownAttribute, UnknownAttribute__Output as _hvswitch_v1_UnknownAttribute__Output } from '../../hvswitch/v1/UnknownAttribute.js';

export interface PathAttributes {
  'origin'?: (_hvswitch_v1_Origin);
  'asPath'?: (_hvswitch_v1_AsSegment)[];
  /**
   * NEXT_HOP or MP_REACH next hop; in AddPath empty: our session address
   */
  'nextHop'?: (string);
  'med'?: (number);
  'localPref'?: (number);
  'atomicAggregate'?: (boolean);
  'aggregator'?: (_hvswitch_v1_Aggregator | null);
  /**
   * RFC 1997, "65000:1"
   */
  'communities'?: (string)[];
  /**
   * RFC 4456
   */
  'originatorId'?: (string);
  /**
   * RFC 4456
   */
  'clusterList'?: (string)[];
  /**
   * RFC 4360 / RFC 9012 / RFC 7432 in their text forms: "rt:65000:100",
   * "soo:65000:1", "encap:vxlan", "router-mac:02:00:00:00:00:01",
   * "mac-mobility:5[:sticky]", "esi-label:L[:single-active]", "raw:<16 hex>".
   */
  'extCommunities'?: (string)[];
  /**
   * RFC 8092, "65000:1:2"
   */
  'largeCommunities'?: (string)[];
  /**
   * RFC 6514
   */
  'pmsiTunnel'?: (_hvswitch_v1_PmsiTunnel | null);
  /**
   * optional transitive, carried through
   */
  'unknown'?: (_hvswitch_v1_UnknownAttribute)[];
  '_med'?: "med";
  '_localPref'?: "localPref";
}

export interface PathAttributes__Output {
  'origin': (_hvswitch_v1_Origin__Output);
  'asPath': (_hvswitch_v1_AsSegment__Output)[];
  /**
   * NEXT_HOP or MP_REACH next hop; in AddPath empty: our session address
   */
  'nextHop': (string);
  'med'?: (number);
  'localPref'?: (number);
  'atomicAggregate': (boolean);
  'aggregator': (_hvswitch_v1_Aggregator__Output | null);
  /**
   * RFC 1997, "65000:1"
   */
  'communities': (string)[];
  /**
   * RFC 4456
   */
  'originatorId': (string);
  /**
   * RFC 4456
   */
  'clusterList': (string)[];
  /**
   * RFC 4360 / RFC 9012 / RFC 7432 in their text forms: "rt:65000:100",
   * "soo:65000:1", "encap:vxlan", "router-mac:02:00:00:00:00:01",
   * "mac-mobility:5[:sticky]", "esi-label:L[:single-active]", "raw:<16 hex>".
   */
  'extCommunities': (string)[];
  /**
   * RFC 8092, "65000:1:2"
   */
  'largeCommunities': (string)[];
  /**
   * RFC 6514
   */
  'pmsiTunnel': (_hvswitch_v1_PmsiTunnel__Output | null);
  /**
   * optional transitive, carried through
   */
  'unknown': (_hvswitch_v1_UnknownAttribute__Output)[];
  '_med'?: "med";
  '_localPref'?: "localPref";
}
