// Original file: proto/hvswitch/v1/bgp.proto


/**
 * EVPN route type 4 (RFC 7432 §7.4).
 */
export interface EvpnEthernetSegment {
  'rd'?: (string);
  'esi'?: (string);
  'originatorIp'?: (string);
}

/**
 * EVPN route type 4 (RFC 7432 §7.4).
 */
export interface EvpnEthernetSegment__Output {
  'rd': (string);
  'esi': (string);
  'originatorIp': (string);
}
