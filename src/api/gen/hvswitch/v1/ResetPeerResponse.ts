// Original file: proto/hvswitch/v1/bgp.proto


export interface ResetPeerResponse {
}

export interface ResetPeerResponse__Output {
}
