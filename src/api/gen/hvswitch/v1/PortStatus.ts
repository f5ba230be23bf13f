// Original file: proto/hvswitch/v1/l2.proto


/**
 * Read-only state of a port.
 */
export interface PortStatus {
  /**
   * the core's port index
   */
  'id'?: (number);
  /**
   * hvswitchd created the device (TAP) and removes it
   */
  'created'?: (boolean);
  /**
   * FDB entries pointing at this port
   */
  'macs'?: (number);
}

/**
 * Read-only state of a port.
 */
export interface PortStatus__Output {
  /**
   * the core's port index
   */
  'id': (number);
  /**
   * hvswitchd created the device (TAP) and removes it
   */
  'created': (boolean);
  /**
   * FDB entries pointing at this port
   */
  'macs': (number);
}
