// Original file: proto/hvswitch/v1/bgp.proto


/**
 * ipv4 / ipv6 unicast (RFC 4271, RFC 4760).
 */
export interface IpPrefix {
  /**
   * CIDR
   */
  'prefix'?: (string);
}

/**
 * ipv4 / ipv6 unicast (RFC 4271, RFC 4760).
 */
export interface IpPrefix__Output {
  /**
   * CIDR
   */
  'prefix': (string);
}
