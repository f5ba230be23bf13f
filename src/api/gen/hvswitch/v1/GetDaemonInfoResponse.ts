// Original file: proto/hvswitch/v1/daemon.proto

import type { Long } from '@grpc/proto-loader';

export interface GetDaemonInfoResponse {
  /**
   * package version
   */
  'version'?: (string);
  'pid'?: (number);
  'startTimeUnixMs'?: (number | string | Long);
  'uptimeSeconds'?: (number | string);
  'nodeVersion'?: (string);
  'workers'?: (number);
  'ports'?: (number);
  'bridges'?: (number);
  'apiSocket'?: (string);
  /**
   * empty: off
   */
  'apiTcp'?: (string);
  /**
   * empty: off
   */
  'metricsListen'?: (string);
  'logLevel'?: (string);
  /**
   * empty: built-in default
   */
  'configFile'?: (string);
  'fdbAgingSeconds'?: (number);
  'vrfs'?: (number);
}

export interface GetDaemonInfoResponse__Output {
  /**
   * package version
   */
  'version': (string);
  'pid': (number);
  'startTimeUnixMs': (number);
  'uptimeSeconds': (number);
  'nodeVersion': (string);
  'workers': (number);
  'ports': (number);
  'bridges': (number);
  'apiSocket': (string);
  /**
   * empty: off
   */
  'apiTcp': (string);
  /**
   * empty: off
   */
  'metricsListen': (string);
  'logLevel': (string);
  /**
   * empty: built-in default
   */
  'configFile': (string);
  'fdbAgingSeconds': (number);
  'vrfs': (number);
}
