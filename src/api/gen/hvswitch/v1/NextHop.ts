// Original file: proto/hvswitch/v1/l3.proto


/**
 * One next hop of a unicast route.
 */
export interface NextHop {
  /**
   * Gateway address.  Empty in answers for connected routes (the destination
   * itself is resolved on `port`) and vm host routes.
   */
  'via'?: (string);
  /**
   * Outgoing port.  In requests optional: by default the routed port of the
   * VRF whose subnet holds `via`; when given, all next hops of the route
   * must name the same port (config `port`).
   */
  'port'?: (string);
  /**
   * Answers only: the VM's MAC for vm host routes.
   */
  'mac'?: (string);
}

/**
 * One next hop of a unicast route.
 */
export interface NextHop__Output {
  /**
   * Gateway address.  Empty in answers for connected routes (the destination
   * itself is resolved on `port`) and vm host routes.
   */
  'via': (string);
  /**
   * Outgoing port.  In requests optional: by default the routed port of the
   * VRF whose subnet holds `via`; when given, all next hops of the route
   * must name the same port (config `port`).
   */
  'port': (string);
  /**
   * Answers only: the VM's MAC for vm host routes.
   */
  'mac': (string);
}
