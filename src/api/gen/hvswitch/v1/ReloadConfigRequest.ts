// Original file: proto/hvswitch/v1/daemon.proto


export interface ReloadConfigRequest {
}

export interface ReloadConfigRequest__Output {
}
