// Original file: proto/hvswitch/v1/daemon.proto


export interface SetLogLevelResponse {
}

export interface SetLogLevelResponse__Output {
}
