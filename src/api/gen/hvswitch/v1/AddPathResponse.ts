// Original file: proto/hvswitch/v1/bgp.proto

import type { Path as _hvswitch_v1_Path, Path__Output as _hvswitch_v1_Path__Output } from '../../hvswitch/v1/Path.js';

export interface AddPathResponse {
  /**
   * as originated (its key)
   */
  'path'?: (_hvswitch_v1_Path | null);
}

export interface AddPathResponse__Output {
  /**
   * as originated (its key)
   */
  'path': (_hvswitch_v1_Path__Output | null);
}
