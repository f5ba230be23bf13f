// Original file: proto/hvswitch/v1/bgp.proto


export interface DeletePeerRequest {
  'address'?: (string);
}

export interface DeletePeerRequest__Output {
  'address': (string);
}
