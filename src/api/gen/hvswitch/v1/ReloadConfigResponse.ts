// Original file: proto/hvswitch/v1/daemon.proto


export interface ReloadConfigResponse {
  'bridgesAdded'?: (string)[];
  'bridgesRemoved'?: (string)[];
  'portsAdded'?: (string)[];
  'portsRemoved'?: (string)[];
  'portsChanged'?: (string)[];
  'vrfsAdded'?: (string)[];
  'vrfsRemoved'?: (string)[];
  /**
   * static routes changed
   */
  'vrfsChanged'?: (string)[];
}

export interface ReloadConfigResponse__Output {
  'bridgesAdded': (string)[];
  'bridgesRemoved': (string)[];
  'portsAdded': (string)[];
  'portsRemoved': (string)[];
  'portsChanged': (string)[];
  'vrfsAdded': (string)[];
  'vrfsRemoved': (string)[];
  /**
   * static routes changed
   */
  'vrfsChanged': (string)[];
}
