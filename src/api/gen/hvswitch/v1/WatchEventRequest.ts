// Original file: proto/hvswitch/v1/switch.proto


export interface WatchEventRequest {
  /**
   * Which kinds to stream; none given: all.
   */
  'fdb'?: (boolean);
  /**
   * FDB events of this bridge only; empty: all
   */
  'bridge'?: (string);
}

export interface WatchEventRequest__Output {
  /**
   * Which kinds to stream; none given: all.
   */
  'fdb': (boolean);
  /**
   * FDB events of this bridge only; empty: all
   */
  'bridge': (string);
}
