// Original file: proto/hvswitch/v1/switch.proto


export interface ListFdbRequest {
  /**
   * empty: all
   */
  'bridge'?: (string);
  /**
   * 0: all
   */
  'vlan'?: (number);
  /**
   * empty: all
   */
  'port'?: (string);
}

export interface ListFdbRequest__Output {
  /**
   * empty: all
   */
  'bridge': (string);
  /**
   * 0: all
   */
  'vlan': (number);
  /**
   * empty: all
   */
  'port': (string);
}
