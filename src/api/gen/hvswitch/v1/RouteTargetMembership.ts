// Original file: proto/hvswitch/v1/bgp.proto


/**
 * RT membership (RFC 4684 §4).  origin_as 0 with an empty route_target and
 * length 0 is the default membership ("send me every RT").
 */
export interface RouteTargetMembership {
  /**
   * in AddPath/DeletePath 0 means our AS
   */
  'originAs'?: (number);
  /**
   * 65000:100, 10.0.0.1:5
   */
  'routeTarget'?: (string);
  /**
   * prefix length in bits: 96 (one RT) or 0 (default)
   */
  'length'?: (number);
}

/**
 * RT membership (RFC 4684 §4).  origin_as 0 with an empty route_target and
 * length 0 is the default membership ("send me every RT").
 */
export interface RouteTargetMembership__Output {
  /**
   * in AddPath/DeletePath 0 means our AS
   */
  'originAs': (number);
  /**
   * 65000:100, 10.0.0.1:5
   */
  'routeTarget': (string);
  /**
   * prefix length in bits: 96 (one RT) or 0 (default)
   */
  'length': (number);
}
