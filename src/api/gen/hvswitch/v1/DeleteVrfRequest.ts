// Original file: proto/hvswitch/v1/routing.proto


export interface DeleteVrfRequest {
  'name'?: (string);
}

export interface DeleteVrfRequest__Output {
  'name': (string);
}
