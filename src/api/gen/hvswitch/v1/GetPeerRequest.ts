// Original file: proto/hvswitch/v1/bgp.proto


export interface GetPeerRequest {
  'address'?: (string);
}

export interface GetPeerRequest__Output {
  'address': (string);
}
