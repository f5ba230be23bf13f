// Original file: proto/hvswitch/v1/switch.proto


export interface ListPortCountersRequest {
  /**
   * empty: all
   */
  'ports'?: (string)[];
}

export interface ListPortCountersRequest__Output {
  /**
   * empty: all
   */
  'ports': (string)[];
}
