// Original file: proto/hvswitch/v1/routing.proto


export interface FlushNeighborResponse {
  'flushed'?: (number);
}

export interface FlushNeighborResponse__Output {
  'flushed': (number);
}
