// Original file: proto/hvswitch/v1/bgp.proto


export interface UnknownAttribute {
  'code'?: (number);
  'flags'?: (number);
  'value'?: (Buffer | Uint8Array | string);
}

export interface UnknownAttribute__Output {
  'code': (number);
  'flags': (number);
  'value': (Buffer);
}
