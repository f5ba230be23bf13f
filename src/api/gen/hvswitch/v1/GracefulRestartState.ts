// Original file: proto/hvswitch/v1/bgp.proto

import type { BgpFamily as _hvswitch_v1_BgpFamily, BgpFamily__Output as _hvswitch_v1_BgpFamily__Output } from '../../hvswitch/v1/BgpFamily.js';
import type { Long } from '@grpc/proto-loader';

export interface GracefulRestartState {
  /**
   * the peer sent the GR capability
   */
  'peerAdvertised'?: (boolean);
  /**
   * s, from its capability
   */
  'peerRestartTime'?: (number);
  /**
   * families it preserves state for
   */
  'peerFamilies'?: (_hvswitch_v1_BgpFamily)[];
  /**
   * its routes kept stale right now
   */
  'staleRoutes'?: (number | string | Long);
}

export interface GracefulRestartState__Output {
  /**
   * the peer sent the GR capability
   */
  'peerAdvertised': (boolean);
  /**
   * s, from its capability
   */
  'peerRestartTime': (number);
  /**
   * families it preserves state for
   */
  'peerFamilies': (_hvswitch_v1_BgpFamily__Output)[];
  /**
   * its routes kept stale right now
   */
  'staleRoutes': (number);
}
