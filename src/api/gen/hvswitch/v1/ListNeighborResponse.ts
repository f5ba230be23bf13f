// Original file: proto/hvswitch/v1/routing.proto

import type { Neighbor as _hvswitch_v1_Neighbor, Neighbor__Output as _hvswitch_v1_Neighbor__Output } from '../../hvswitch/v1/Neighbor.js';

export interface ListNeighborResponse {
  'neighbor'?: (_hvswitch_v1_Neighbor | null);
}

export interface ListNeighborResponse__Output {
  'neighbor': (_hvswitch_v1_Neighbor__Output | null);
}
