// Original file: proto/hvswitch/v1/switch.proto


export interface AddFdbResponse {
}

export interface AddFdbResponse__Output {
}
