// Original file: proto/hvswitch/v1/switch.proto


export interface ListWorkerRequest {
}

export interface ListWorkerRequest__Output {
}
