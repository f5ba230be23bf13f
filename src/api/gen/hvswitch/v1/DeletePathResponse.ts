// Original file: proto/hvswitch/v1/bgp.proto


export interface DeletePathResponse {
}

export interface DeletePathResponse__Output {
}
