// Original file: proto/hvswitch/v1/routing.proto


export interface FlushNeighborRequest {
  /**
   * empty: all ports
   */
  'port'?: (string);
  'includePermanent'?: (boolean);
}

export interface FlushNeighborRequest__Output {
  /**
   * empty: all ports
   */
  'port': (string);
  'includePermanent': (boolean);
}
