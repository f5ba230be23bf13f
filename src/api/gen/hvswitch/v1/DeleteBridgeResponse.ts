// Original file: proto/hvswitch/v1/switch.proto


export interface DeleteBridgeResponse {
}

export interface DeleteBridgeResponse__Output {
}
