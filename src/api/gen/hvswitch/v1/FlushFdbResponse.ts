// Original file: proto/hvswitch/v1/switch.proto


export interface FlushFdbResponse {
  'flushed'?: (number);
}

export interface FlushFdbResponse__Output {
  'flushed': (number);
}
