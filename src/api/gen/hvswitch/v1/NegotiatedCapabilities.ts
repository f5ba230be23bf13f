// Original file: proto/hvswitch/v1/bgp.proto

import type { BgpFamily as _hvswitch_v1_BgpFamily, BgpFamily__Output as _hvswitch_v1_BgpFamily__Output } from '../../hvswitch/v1/BgpFamily.js';

/**
 * Capabilities negotiated on the session (both sides sent them).
 */
export interface NegotiatedCapabilities {
  /**
   * RFC 6793
   */
  'fourOctetAs'?: (boolean);
  /**
   * RFC 2918
   */
  'routeRefresh'?: (boolean);
  /**
   * RFC 7313
   */
  'enhancedRouteRefresh'?: (boolean);
  /**
   * RFC 8654
   */
  'extendedMessage'?: (boolean);
  /**
   * RFC 7911: we take path ids
   */
  'addPathReceive'?: (_hvswitch_v1_BgpFamily)[];
  'addPathSend'?: (_hvswitch_v1_BgpFamily)[];
}

/**
 * Capabilities negotiated on the session (both sides sent them).
 */
export interface NegotiatedCapabilities__Output {
  /**
   * RFC 6793
   */
  'fourOctetAs': (boolean);
  /**
   * RFC 2918
   */
  'routeRefresh': (boolean);
  /**
   * RFC 7313
   */
  'enhancedRouteRefresh': (boolean);
  /**
   * RFC 8654
   */
  'extendedMessage': (boolean);
  /**
   * RFC 7911: we take path ids
   */
  'addPathReceive': (_hvswitch_v1_BgpFamily__Output)[];
  'addPathSend': (_hvswitch_v1_BgpFamily__Output)[];
}
