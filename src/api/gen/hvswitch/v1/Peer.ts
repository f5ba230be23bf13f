// Original file: proto/hvswitch/v1/bgp.proto

import type { PeerConf as _hvswitch_v1_PeerConf, PeerConf__Output as _hvswitch_v1_PeerConf__Output } from '../../hvswitch/v1/PeerConf.js';
import type { PeerState as _hvswitch_v1_PeerState, PeerState__Output as _hvswitch_v1_PeerState__Output } from '../../hvswitch/v1/PeerState.js';

export interface Peer {
  'conf'?: (_hvswitch_v1_PeerConf | null);
  /**
   * answers only
   */
  'state'?: (_hvswitch_v1_PeerState | null);
}

export interface Peer__Output {
  'conf': (_hvswitch_v1_PeerConf__Output | null);
  /**
   * answers only
   */
  'state': (_hvswitch_v1_PeerState__Output | null);
}
