// Original file: proto/hvswitch/v1/switch.proto


export interface DeleteFdbRequest {
  'bridge'?: (string);
  'vlan'?: (number);
  'mac'?: (string);
}

export interface DeleteFdbRequest__Output {
  'bridge': (string);
  'vlan': (number);
  'mac': (string);
}
