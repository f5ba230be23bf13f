/**
 * Route Refresh (code 2, RFC 2918 §2; the pre-standard code 128 is accepted as
 * the same thing) and Enhanced Route Refresh (code 70, RFC 7313 §3.1). Both empty.
 */
import type { CapabilityCodec } from './types.js';
import { capError } from './util.js';

export const routeRefresh: CapabilityCodec = {
  code: 2, name: 'route-refresh',
  decode(v, caps) { if (v.length !== 0) capError('route refresh', `length ${v.length} != 0`); caps.routeRefresh = true; },
  encode: (caps) => (caps.routeRefresh ? [Buffer.alloc(0)] : []),
};
export const routeRefreshOld: CapabilityCodec = {
  code: 128, name: 'route-refresh-cisco',
  decode(_v, caps) { caps.routeRefresh = true; },
  encode: () => [],
};
export const enhancedRouteRefresh: CapabilityCodec = {
  code: 70, name: 'enhanced-route-refresh',
  decode(v, caps) { if (v.length !== 0) capError('enhanced route refresh', `length ${v.length} != 0`); caps.enhancedRouteRefresh = true; },
  encode: (caps) => (caps.enhancedRouteRefresh ? [Buffer.alloc(0)] : []),
};
