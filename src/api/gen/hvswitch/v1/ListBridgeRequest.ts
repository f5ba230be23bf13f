// Original file: proto/hvswitch/v1/switch.proto


export interface ListBridgeRequest {
  'names'?: (string)[];
}

export interface ListBridgeRequest__Output {
  'names': (string)[];
}
