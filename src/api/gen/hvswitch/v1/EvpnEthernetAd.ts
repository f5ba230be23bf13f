// Original file: proto/hvswitch/v1/bgp.proto


/**
 * EVPN route type 1 (RFC 7432 §7.1).
 */
export interface EvpnEthernetAd {
  'rd'?: (string);
  /**
   * 10 octets, colon-separated hex; "0": all zero
   */
  'esi'?: (string);
  'ethernetTag'?: (number);
  /**
   * raw 24-bit field (a VNI for VXLAN, RFC 8365)
   */
  'label'?: (number);
}

/**
 * EVPN route type 1 (RFC 7432 §7.1).
 */
export interface EvpnEthernetAd__Output {
  'rd': (string);
  /**
   * 10 octets, colon-separated hex; "0": all zero
   */
  'esi': (string);
  'ethernetTag': (number);
  /**
   * raw 24-bit field (a VNI for VXLAN, RFC 8365)
   */
  'label': (number);
}
