// Original file: proto/hvswitch/v1/bgp.proto

import type { BgpFamily as _hvswitch_v1_BgpFamily, BgpFamily__Output as _hvswitch_v1_BgpFamily__Output } from '../../hvswitch/v1/BgpFamily.js';
import type { GracefulRestartConf as _hvswitch_v1_GracefulRestartConf, GracefulRestartConf__Output as _hvswitch_v1_GracefulRestartConf__Output } from '../../hvswitch/v1/GracefulRestartConf.js';

/**
 * A neighbor's configuration (config `bgp.neighbors[]`).  Zero values are
 * "not set": the config default applies.
 */
export interface PeerConf {
  'neighborAddress'?: (string);
  'peerAs'?: (number);
  /**
   * empty: ipv4
   */
  'families'?: (_hvswitch_v1_BgpFamily)[];
  'passive'?: (boolean);
  /**
   * s
   */
  'holdTime'?: (number);
  /**
   * s
   */
  'keepaliveInterval'?: (number);
  /**
   * s
   */
  'connectRetry'?: (number);
  'routeReflectorClient'?: (boolean);
  'maxPrefix'?: (number);
  'localAddress'?: (string);
  /**
   * 179
   */
  'port'?: (number);
  'description'?: (string);
  /**
   * unset: enabled, defaults
   */
  'gracefulRestart'?: (_hvswitch_v1_GracefulRestartConf | null);
}

/**
 * A neighbor's configuration (config `bgp.neighbors[]`).  Zero values are
 * "not set": the config default applies.
 */
export interface PeerConf__Output {
  'neighborAddress': (string);
  'peerAs': (number);
  /**
   * empty: ipv4
   */
  'families': (_hvswitch_v1_BgpFamily__Output)[];
  'passive': (boolean);
  /**
   * s
   */
  'holdTime': (number);
  /**
   * s
   */
  'keepaliveInterval': (number);
  /**
   * s
   */
  'connectRetry': (number);
  'routeReflectorClient': (boolean);
  'maxPrefix': (number);
  'localAddress': (string);
  /**
   * 179
   */
  'port': (number);
  'description': (string);
  /**
   * unset: enabled, defaults
   */
  'gracefulRestart': (_hvswitch_v1_GracefulRestartConf__Output | null);
}
