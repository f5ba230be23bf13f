// Original file: proto/hvswitch/v1/routing.proto

import type { Neighbor as _hvswitch_v1_Neighbor, Neighbor__Output as _hvswitch_v1_Neighbor__Output } from '../../hvswitch/v1/Neighbor.js';

export interface AddNeighborResponse {
  'neighbor'?: (_hvswitch_v1_Neighbor | null);
}

export interface AddNeighborResponse__Output {
  'neighbor': (_hvswitch_v1_Neighbor__Output | null);
}
