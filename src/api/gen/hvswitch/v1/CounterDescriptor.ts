// Original file: proto/hvswitch/v1/l2.proto


/**
 * A per-port counter as declared once in the core (native/core/hv.h).
 */
export interface CounterDescriptor {
  /**
   * e.g. rx_packets, drop_runt
   */
  'name'?: (string);
  'help'?: (string);
}

/**
 * A per-port counter as declared once in the core (native/core/hv.h).
 */
export interface CounterDescriptor__Output {
  /**
   * e.g. rx_packets, drop_runt
   */
  'name': (string);
  'help': (string);
}
