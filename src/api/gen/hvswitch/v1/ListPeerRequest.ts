// Original file: proto/hvswitch/v1/bgp.proto


export interface ListPeerRequest {
  /**
   * empty: all neighbors; unknown: NOT_FOUND
   */
  'address'?: (string);
}

export interface ListPeerRequest__Output {
  /**
   * empty: all neighbors; unknown: NOT_FOUND
   */
  'address': (string);
}
