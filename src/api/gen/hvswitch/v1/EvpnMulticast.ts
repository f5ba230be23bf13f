// Original file: proto/hvswitch/v1/bgp.proto


/**
 * EVPN route type 3, inclusive multicast Ethernet tag (RFC 7432 §7.3).
 */
export interface EvpnMulticast {
  'rd'?: (string);
  'ethernetTag'?: (number);
  'originatorIp'?: (string);
}

/**
 * EVPN route type 3, inclusive multicast Ethernet tag (RFC 7432 §7.3).
 */
export interface EvpnMulticast__Output {
  'rd': (string);
  'ethernetTag': (number);
  'originatorIp': (string);
}
