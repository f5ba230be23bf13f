// Original file: proto/hvswitch/v1/bgp.proto

import type { PeerConf as _hvswitch_v1_PeerConf, PeerConf__Output as _hvswitch_v1_PeerConf__Output } from '../../hvswitch/v1/PeerConf.js';

export interface AddPeerRequest {
  'peer'?: (_hvswitch_v1_PeerConf | null);
}

export interface AddPeerRequest__Output {
  'peer': (_hvswitch_v1_PeerConf__Output | null);
}
