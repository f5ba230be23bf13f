// Original file: proto/hvswitch/v1/l2.proto


export interface FdbEntry {
  'bridge'?: (string);
  'port'?: (string);
  'vlan'?: (number);
  /**
   * lower case, colon separated
   */
  'mac'?: (string);
  /**
   * added by the API; never aged or moved by learning
   */
  'static'?: (boolean);
  /**
   * seconds since last seen; 0 for static entries
   */
  'age'?: (number);
}

export interface FdbEntry__Output {
  'bridge': (string);
  'port': (string);
  'vlan': (number);
  /**
   * lower case, colon separated
   */
  'mac': (string);
  /**
   * added by the API; never aged or moved by learning
   */
  'static': (boolean);
  /**
   * seconds since last seen; 0 for static entries
   */
  'age': (number);
}
