// Original file: proto/hvswitch/v1/bgp.proto


/**
 * EVPN route type 2 (RFC 7432 §7.2).
 */
export interface EvpnMacIp {
  'rd'?: (string);
  'esi'?: (string);
  'ethernetTag'?: (number);
  'mac'?: (string);
  /**
   * empty: MAC only
   */
  'ip'?: (string);
  /**
   * 1 or 2 raw 24-bit fields (L2 VNI, L3 VNI)
   */
  'labels'?: (number)[];
}

/**
 * EVPN route type 2 (RFC 7432 §7.2).
 */
export interface EvpnMacIp__Output {
  'rd': (string);
  'esi': (string);
  'ethernetTag': (number);
  'mac': (string);
  /**
   * empty: MAC only
   */
  'ip': (string);
  /**
   * 1 or 2 raw 24-bit fields (L2 VNI, L3 VNI)
   */
  'labels': (number)[];
}
