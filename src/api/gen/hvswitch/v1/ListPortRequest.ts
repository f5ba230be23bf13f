// Original file: proto/hvswitch/v1/switch.proto


export interface ListPortRequest {
  /**
   * empty: all ports; unknown names: NOT_FOUND
   */
  'names'?: (string)[];
}

export interface ListPortRequest__Output {
  /**
   * empty: all ports; unknown names: NOT_FOUND
   */
  'names': (string)[];
}
