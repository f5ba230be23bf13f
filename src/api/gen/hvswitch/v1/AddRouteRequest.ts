// Original file: proto/hvswitch/v1/routing.proto

import type { Route as _hvswitch_v1_Route, Route__Output as _hvswitch_v1_Route__Output } from '../../hvswitch/v1/Route.js';

export interface AddRouteRequest {
  'route'?: (_hvswitch_v1_Route | null);
  /**
   * replace a static route to the same prefix
   */
  'replace'?: (boolean);
}

export interface AddRouteRequest__Output {
  'route': (_hvswitch_v1_Route__Output | null);
  /**
   * replace a static route to the same prefix
   */
  'replace': (boolean);
}
