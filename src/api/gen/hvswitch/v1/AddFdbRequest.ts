// Original file: proto/hvswitch/v1/switch.proto


export interface AddFdbRequest {
  'bridge'?: (string);
  'vlan'?: (number);
  'mac'?: (string);
  'port'?: (string);
}

export interface AddFdbRequest__Output {
  'bridge': (string);
  'vlan': (number);
  'mac': (string);
  'port': (string);
}
