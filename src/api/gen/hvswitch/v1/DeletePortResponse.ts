// Original file: proto/hvswitch/v1/switch.proto


export interface DeletePortResponse {
}

export interface DeletePortResponse__Output {
}
