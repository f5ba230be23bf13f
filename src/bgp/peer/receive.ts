/**
 * The receive path of a session: each message read from the connection
 * becomes an FSM event (RFC 4271 §8.2.2) or a call into the speaker, through
 * one handler per message type (`RECEIVE`, exhaustive over `MsgType`).
 *
 * - Every message is counted by type (the `rx` message counters).
 * - A decode error becomes the FSM error event of its kind with the
 *   NOTIFICATION the typed error names: header → BgpHeaderErr, OPEN →
 *   BgpOpenMsgErr, UPDATE and ROUTE-REFRESH → UpdateMsgErr (the codec never
 *   logs; the FSM decides, RFC 7606 outcomes that keep the session never get
 *   here).
 * - OPEN in OpenSent goes to the configuration checks and negotiation
 *   (peer.ts); in any other state the FSM treats it as an error.
 * - KEEPALIVE and UPDATE in Established only move the hold timer's
 *   last-message mark (timers.ts) instead of an FSM step each; UPDATEs go to
 *   the speaker whole (`onUpdate`), which parses them in place.
 * - NOTIFICATION: `lastError` in words, with an RFC 9003 shutdown message if
 *   there is one.
 * - ROUTE-REFRESH in Established restarts the hold timer, then goes to the
 *   speaker.
 * - One socket read is one batch: `onBatch` runs after it, so the speaker
 *   flushes best-path changes once per batch, not per message.
 */
import { BgpDecodeError } from '../codec/errors.js';
import { HEADER_LEN, MsgType } from '../codec/message/header.js';
import type { MessageReader } from '../codec/message/index.js';
import { notification } from '../codec/message/notification.js';
import { open, type OpenMessage } from '../codec/message/open.js';
import { routeRefreshMsg, type RouteRefreshMessage } from '../codec/message/route-refresh.js';
import { Event, State, type FsmInput } from '../fsm.js';
import type { Peer, PeerHooks } from '../peer.js';
import type { Conn } from './connection.js';

/** What the receive path needs of its peer (peer.ts builds it over its private state). */
export interface Receiver {
  readonly peer: Peer;
  readonly hooks: PeerHooks;
  /** `c` is still the session's connection and open */
  current(c: Conn): boolean;
  dispatch(i: Omit<FsmInput, 'passive'>, c: Conn): void;
  /** an OPEN received in OpenSent */
  openReceived(c: Conn, m: OpenMessage): void;
  /** a message arrived: the hold timer counts from now */
  touch(): void;
}

/** A message's handler: the message is buf[off, off + len), its body after the header (`bodyOf`). */
type Receive = (rx: Receiver, c: Conn, buf: Buffer, off: number, len: number) => void;

/** The body of a message: a view made only by the handlers that decode one (an UPDATE is parsed in place). */
const bodyOf = (buf: Buffer, off: number, len: number): Buffer => buf.subarray(off + HEADER_LEN, off + len);

const RECEIVE = {
  [MsgType.Open]: (rx, c, buf, off, len) => {
    rx.peer.counters.rx.open++;
    let m: OpenMessage;
    try { m = open.decode(bodyOf(buf, off, len)); } catch (e) { decodeFailed(rx, c, e, Event.BgpOpenMsgErr); return; }
    if (rx.peer.state !== State.OpenSent) { rx.dispatch({ event: Event.BgpOpen }, c); return; }
    rx.openReceived(c, m);
  },
  [MsgType.Keepalive]: (rx, c) => {
    rx.peer.counters.rx.keepalive++;
    if (rx.peer.state === State.Established) { rx.touch(); return; }
    rx.dispatch({ event: Event.KeepAliveMsg }, c);
  },
  [MsgType.Notification]: (rx, c, buf, off, len) => {
    rx.peer.counters.rx.notification++;
    const n = notification.decode(bodyOf(buf, off, len));
    const text = notification.shutdownMessage(n);
    rx.peer.lastError = `received NOTIFICATION ${n.code}/${n.subcode}${text ? ` "${text}"` : ''}`;
    rx.dispatch({ event: Event.NotifMsg }, c);
  },
  [MsgType.RouteRefresh]: (rx, c, buf, off, len) => {
    rx.peer.counters.rx.routeRefresh++;
    let m: RouteRefreshMessage;
    try { m = routeRefreshMsg.decode(bodyOf(buf, off, len)); } catch (e) { decodeFailed(rx, c, e, Event.UpdateMsgErr, false); return; }
    const established = rx.peer.state === State.Established;
    rx.dispatch({ event: Event.RouteRefreshMsg }, c);
    if (established) rx.hooks.onRouteRefresh(rx.peer, m);
  },
  [MsgType.Update]: (rx, c, buf, off, len) => {
    rx.peer.counters.rx.update++;
    if (rx.peer.state !== State.Established) { rx.dispatch({ event: Event.UpdateMsg }, c); return; }
    try { rx.hooks.onUpdate(rx.peer, buf, off, len); } catch (e) { decodeFailed(rx, c, e, Event.UpdateMsgErr); return; }
    if (rx.peer.state === State.Established) rx.touch();
  },
} satisfies Record<MsgType, Receive>;

/** Handle the messages waiting in `r` (read from `c`), then tell the speaker the batch is done. */
export function drain(rx: Receiver, c: Conn, r: MessageReader): void {
  let any = false;
  for (;;) {
    if (!rx.current(c)) break;
    let m: [Buffer, number, number] | null;
    try { m = r.next(); } catch (e) { decodeFailed(rx, c, e, Event.BgpHeaderErr); break; }
    if (!m) break;
    any = true;
    const [buf, off, len] = m;
    RECEIVE[buf[off + 18] as MsgType]?.(rx, c, buf, off, len);
  }
  if (any) rx.hooks.onBatch(rx.peer);
}

/**
 * A received message did not decode (BgpDecodeError; anything else is a bug
 * and rethrown): the FSM error event, with the NOTIFICATION the error names
 * (its data too, unless `withData` is false).
 */
function decodeFailed(rx: Receiver, c: Conn, e: unknown, event: Event, withData = true): void {
  if (!(e instanceof BgpDecodeError)) throw e;
  rx.peer.lastError = e.message;
  rx.dispatch({ event, notify: withData ? { code: e.code, subcode: e.subcode, data: e.data } : { code: e.code, subcode: e.subcode } }, c);
}
