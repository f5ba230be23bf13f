// Original file: proto/hvswitch/v1/switch.proto


export interface DeleteBridgeRequest {
  'name'?: (string);
}

export interface DeleteBridgeRequest__Output {
  'name': (string);
}
