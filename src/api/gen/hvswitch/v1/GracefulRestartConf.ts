// Original file: proto/hvswitch/v1/bgp.proto


export interface GracefulRestartConf {
  'enabled'?: (boolean);
  /**
   * s; 0: default (120)
   */
  'restartTime'?: (number);
  /**
   * s; 0: default (360)
   */
  'staleRoutesTime'?: (number);
}

export interface GracefulRestartConf__Output {
  'enabled': (boolean);
  /**
   * s; 0: default (120)
   */
  'restartTime': (number);
  /**
   * s; 0: default (360)
   */
  'staleRoutesTime': (number);
}
