// Original file: proto/hvswitch/v1/routing.proto


export interface AddNeighborRequest {
  'port'?: (string);
  'ip'?: (string);
  'mac'?: (string);
}

export interface AddNeighborRequest__Output {
  'port': (string);
  'ip': (string);
  'mac': (string);
}
