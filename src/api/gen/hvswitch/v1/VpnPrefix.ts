// Original file: proto/hvswitch/v1/bgp.proto


/**
 * vpnv4 / vpnv6 (RFC 4364 §4.3.4, RFC 4659).
 */
export interface VpnPrefix {
  /**
   * 65000:1, 10.0.0.1:5, 4200000000:1
   */
  'rd'?: (string);
  'prefix'?: (string);
  /**
   * 20-bit MPLS label
   */
  'label'?: (number);
}

/**
 * vpnv4 / vpnv6 (RFC 4364 §4.3.4, RFC 4659).
 */
export interface VpnPrefix__Output {
  /**
   * 65000:1, 10.0.0.1:5, 4200000000:1
   */
  'rd': (string);
  'prefix': (string);
  /**
   * 20-bit MPLS label
   */
  'label': (number);
}
