// Original file: proto/hvswitch/v1/switch.proto


export interface DeleteFdbResponse {
}

export interface DeleteFdbResponse__Output {
}
