// Original file: proto/hvswitch/v1/l2.proto


/**
 * A bridge domain: one FDB, VLANs within it.
 */
export interface Bridge {
  'name'?: (string);
  /**
   * FDB size; 0 in requests: the default (65536)
   */
  'maxMacs'?: (number);
  /**
   * answers only
   */
  'ports'?: (string)[];
  /**
   * answers only: FDB entries
   */
  'macs'?: (number);
}

/**
 * A bridge domain: one FDB, VLANs within it.
 */
export interface Bridge__Output {
  'name': (string);
  /**
   * FDB size; 0 in requests: the default (65536)
   */
  'maxMacs': (number);
  /**
   * answers only
   */
  'ports': (string)[];
  /**
   * answers only: FDB entries
   */
  'macs': (number);
}
