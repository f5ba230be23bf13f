// Original file: proto/hvswitch/v1/bgp.proto

import type { Peer as _hvswitch_v1_Peer, Peer__Output as _hvswitch_v1_Peer__Output } from '../../hvswitch/v1/Peer.js';

export interface AddPeerResponse {
  'peer'?: (_hvswitch_v1_Peer | null);
}

export interface AddPeerResponse__Output {
  'peer': (_hvswitch_v1_Peer__Output | null);
}
