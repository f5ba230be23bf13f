// Original file: proto/hvswitch/v1/switch.proto


export interface DeletePortRequest {
  'name'?: (string);
}

export interface DeletePortRequest__Output {
  'name': (string);
}
