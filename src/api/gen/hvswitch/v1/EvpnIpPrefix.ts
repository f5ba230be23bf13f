// Original file: proto/hvswitch/v1/bgp.proto


/**
 * EVPN route type 5 (RFC 9136).
 */
export interface EvpnIpPrefix {
  'rd'?: (string);
  'esi'?: (string);
  'ethernetTag'?: (number);
  'prefix'?: (string);
  'gateway'?: (string);
  'label'?: (number);
}

/**
 * EVPN route type 5 (RFC 9136).
 */
export interface EvpnIpPrefix__Output {
  'rd': (string);
  'esi': (string);
  'ethernetTag': (number);
  'prefix': (string);
  'gateway': (string);
  'label': (number);
}
