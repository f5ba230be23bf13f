// Original file: proto/hvswitch/v1/routing.proto


export interface ListVrfRequest {
  /**
   * empty: all VRFs; unknown names: NOT_FOUND
   */
  'names'?: (string)[];
}

export interface ListVrfRequest__Output {
  /**
   * empty: all VRFs; unknown names: NOT_FOUND
   */
  'names': (string)[];
}
