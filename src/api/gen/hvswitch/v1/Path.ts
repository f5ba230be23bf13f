// Original file: proto/hvswitch/v1/bgp.proto

import type { BgpFamily as _hvswitch_v1_BgpFamily, BgpFamily__Output as _hvswitch_v1_BgpFamily__Output } from '../../hvswitch/v1/BgpFamily.js';
import type { Nlri as _hvswitch_v1_Nlri, Nlri__Output as _hvswitch_v1_Nlri__Output } from '../../hvswitch/v1/Nlri.js';
import type { PathAttributes as _hvswitch_v1_PathAttributes, PathAttributes__Output as _hvswitch_v1_PathAttributes__Output } from '../../hvswitch/v1/PathAttributes.js';

export interface Path {
  'family'?: (_hvswitch_v1_BgpFamily);
  'nlri'?: (_hvswitch_v1_Nlri | null);
  'attributes'?: (_hvswitch_v1_PathAttributes | null);
  /**
   * text form of the NLRI (GoBGP's), e.g. [type:macadv][rd:65000:1]...
   */
  'key'?: (string);
  /**
   * "local" (originated) or the neighbor address it came from
   */
  'source'?: (string);
  /**
   * GLOBAL: always true (the Loc-RIB keeps best paths)
   */
  'best'?: (boolean);
  /**
   * ADJ_IN: kept during a graceful restart
   */
  'stale'?: (boolean);
  /**
   * ADJ_IN: ADD-PATH identifier (RFC 7911), 0 if none
   */
  'pathId'?: (number);
}

export interface Path__Output {
  'family': (_hvswitch_v1_BgpFamily__Output);
  'nlri': (_hvswitch_v1_Nlri__Output | null);
  'attributes': (_hvswitch_v1_PathAttributes__Output | null);
  /**
   * text form of the NLRI (GoBGP's), e.g. [type:macadv][rd:65000:1]...
   */
  'key': (string);
  /**
   * "local" (originated) or the neighbor address it came from
   */
  'source': (string);
  /**
   * GLOBAL: always true (the Loc-RIB keeps best paths)
   */
  'best': (boolean);
  /**
   * ADJ_IN: kept during a graceful restart
   */
  'stale': (boolean);
  /**
   * ADJ_IN: ADD-PATH identifier (RFC 7911), 0 if none
   */
  'pathId': (number);
}
