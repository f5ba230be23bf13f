// Original file: proto/hvswitch/v1/l3.proto


/**
 * A routing table: two FIBs (IPv4, IPv6), its routed and vm ports.
 */
export interface Vrf {
  /**
   * 1-32 characters of A-Z a-z 0-9 _ . -
   */
  'name'?: (string);
  /**
   * answers only: the core's VRF index
   */
  'id'?: (number);
  /**
   * answers only: routed and vm ports in it
   */
  'ports'?: (string)[];
  /**
   * answers only: FIB entries, both families
   */
  'routes'?: (number);
  /**
   * answers only: configured static routes
   */
  'staticRoutes'?: (number);
}

/**
 * A routing table: two FIBs (IPv4, IPv6), its routed and vm ports.
 */
export interface Vrf__Output {
  /**
   * 1-32 characters of A-Z a-z 0-9 _ . -
   */
  'name': (string);
  /**
   * answers only: the core's VRF index
   */
  'id': (number);
  /**
   * answers only: routed and vm ports in it
   */
  'ports': (string)[];
  /**
   * answers only: FIB entries, both families
   */
  'routes': (number);
  /**
   * answers only: configured static routes
   */
  'staticRoutes': (number);
}
