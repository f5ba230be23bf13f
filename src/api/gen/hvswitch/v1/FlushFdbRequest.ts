// Original file: proto/hvswitch/v1/switch.proto


export interface FlushFdbRequest {
  /**
   * empty: all bridges
   */
  'bridge'?: (string);
  /**
   * empty: all ports
   */
  'port'?: (string);
  /**
   * 0: all VLANs
   */
  'vlan'?: (number);
  'includeStatic'?: (boolean);
}

export interface FlushFdbRequest__Output {
  /**
   * empty: all bridges
   */
  'bridge': (string);
  /**
   * empty: all ports
   */
  'port': (string);
  /**
   * 0: all VLANs
   */
  'vlan': (number);
  'includeStatic': (boolean);
}
