// Original file: proto/hvswitch/v1/bgp.proto


export interface DeletePeerResponse {
}

export interface DeletePeerResponse__Output {
}
