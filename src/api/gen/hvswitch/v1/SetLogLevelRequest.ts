// Original file: proto/hvswitch/v1/daemon.proto


export interface SetLogLevelRequest {
  /**
   * fatal, error, warn, info, debug, trace
   */
  'level'?: (string);
}

export interface SetLogLevelRequest__Output {
  /**
   * fatal, error, warn, info, debug, trace
   */
  'level': (string);
}
