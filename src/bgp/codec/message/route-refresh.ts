/**
 * ROUTE-REFRESH (RFC 2918 §3): AFI (2), subtype (1, reserved in RFC 2918;
 * RFC 7313 §3.2: 0 request, 1 BoRR, 2 EoRR), SAFI (1). A length other than 4
 * is ROUTE-REFRESH Message Error / Invalid Message Length (RFC 7313 §5).
 */
import { BgpDecodeError, ErrorAction, ErrorCode } from '../errors.js';
import { frame, MsgType } from './header.js';

export interface RouteRefreshMessage { type: 'route-refresh'; afi: number; safi: number; subtype: number }

export const routeRefreshMsg = {
  code: MsgType.RouteRefresh,
  decode(body: Buffer): RouteRefreshMessage {
    if (body.length !== 4) throw new BgpDecodeError(ErrorCode.RouteRefresh, 1, ErrorAction.SessionReset, `ROUTE-REFRESH length ${body.length + 19}`);
    return { type: 'route-refresh', afi: body.readUInt16BE(0), subtype: body[2]!, safi: body[3]! };
  },
  encode(m: Omit<RouteRefreshMessage, 'type'>): Buffer {
    const b = Buffer.alloc(4); b.writeUInt16BE(m.afi); b[2] = m.subtype; b[3] = m.safi;
    return frame(MsgType.RouteRefresh, b);
  },
};
