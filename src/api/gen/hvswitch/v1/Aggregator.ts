// Original file: proto/hvswitch/v1/bgp.proto


export interface Aggregator {
  'asn'?: (number);
  'address'?: (string);
}

export interface Aggregator__Output {
  'asn': (number);
  'address': (string);
}
