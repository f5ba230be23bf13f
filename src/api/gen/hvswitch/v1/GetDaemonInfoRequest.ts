// Original file: proto/hvswitch/v1/daemon.proto


export interface GetDaemonInfoRequest {
}

export interface GetDaemonInfoRequest__Output {
}
