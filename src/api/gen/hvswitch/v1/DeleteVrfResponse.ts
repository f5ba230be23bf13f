// Original file: proto/hvswitch/v1/routing.proto


export interface DeleteVrfResponse {
}

export interface DeleteVrfResponse__Output {
}
