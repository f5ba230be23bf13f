/**
 * One BGP neighbor: its TCP connection(s), timers and the RFC 4271 FSM
 * (src/bgp/fsm.ts) that drives them. The peer owns the wire; routes belong to
 * the speaker, which it calls through `PeerHooks`.
 *
 * - Active and passive peers; an incoming connection is accepted in Idle
 *   (when administratively up), Connect and Active.
 * - Connection collision (RFC 4271 §6.8): a second connection arriving in
 *   OpenSent/OpenConfirm gets our OPEN; when its OPEN arrives the BGP
 *   identifiers decide which connection survives, the other gets Cease /
 *   Connection Collision Resolution (RFC 4486 subcode 7).
 * - In Established a new connection from a peer that negotiated graceful
 *   restart is its restart (RFC 4724 §4.2): the old session ends gracefully and
 *   the new one proceeds; without GR the new connection is refused (Cease/7).
 * - Hold time = min(ours, theirs) (§4.2), keepalive = min(configured, hold/3).
 *
 * This file drives the FSM and the connections; beside it, in src/bgp/peer/:
 * capabilities.ts (what we advertise, OPEN checks, negotiation),
 * timers.ts (ConnectRetry, Hold, Keepalive, idle hold on the injected clock),
 * connection.ts (one TCP connection, the §6.8 collision rule) and
 * receive.ts (received messages → FSM events and speaker hooks).
 */
import net from 'node:net';
import { BgpDecodeError, ErrorCode } from './codec/errors.js';
import { familyByAfiSafi, familyOf, type FamilyName } from './codec/family.js';
import { keepalive } from './codec/message/keepalive.js';
import { HEADER_LEN, MAX_EXT_LEN, MAX_LEN, MsgType } from './codec/message/header.js';
import { notification } from './codec/message/notification.js';
import { open, type OpenMessage } from './codec/message/open.js';
import { zeroMessageCounts, type MessageCounts } from './message-counters.js';
import { routeRefreshMsg, type RouteRefreshMessage } from './codec/message/route-refresh.js';
import type { UpdateContext } from './codec/message/update.js';
import type { Capabilities } from './codec/capability/types.js';
import type { Clock } from '../util/clock.js';
import { Event, State, step, type Action, type FsmInput, type Notify, type Reason } from './fsm.js';
import { localCapabilities, negotiate, openError, type Negotiated } from './peer/capabilities.js';
import { Conn, incomingWins } from './peer/connection.js';
import { drain, type Receiver } from './peer/receive.js';
import { SessionTimers, type TimerName } from './peer/timers.js';

export type { Negotiated } from './peer/capabilities.js';

export interface PeerConfig {
  address: string;
  peerAs: number;
  port: number;
  localAddress?: string;
  families: FamilyName[];
  passive: boolean;
  /** seconds */
  holdTime: number;
  keepaliveInterval: number;
  connectRetry: number;
  idleHoldTime: number;
  gracefulRestart: { enabled: boolean; restartTime: number; staleRoutesTime: number };
  routeReflectorClient: boolean;
  maxPrefix?: number;
  /** families for which we accept ADD-PATH path identifiers (RFC 7911 receive) */
  addPathReceive: FamilyName[];
  description?: string;
  /** bound to this VRF: plain unicast of that VRF only (speaker/vrf-scope.ts) */
  vrf?: string;
  /** appended to our routes sent to a VRF-bound neighbor */
  exportCommunities?: string[];
  exportLargeCommunities?: string[];
  /** IPv6 next hop self for IPv6 routes when the session is IPv4 (RFC 2545 §3: a global address) */
  nextHop6?: string;
}

export interface Counters {
  rx: MessageCounts;
  tx: MessageCounts;
}

export interface PeerHooks {
  localAs: number;
  routerId: string;
  clock: Clock;
  onEstablished(p: Peer): void;
  /** graceful: keep the peer's routes as stale (RFC 4724 helper) */
  onDown(p: Peer, graceful: boolean): void;
  /** whole UPDATE at buf[off, off+len); throws BgpDecodeError for session resets */
  onUpdate(p: Peer, buf: Buffer, off: number, len: number): void;
  onRouteRefresh(p: Peer, m: RouteRefreshMessage): void;
  onStateChange(p: Peer, from: State, to: State, reason: Reason): void;
  /** called after a batch of received messages has been processed */
  onBatch(p: Peer): void;
}

export class Peer {
  state: State = State.Idle;
  reason: Reason = Event.ManualStop;
  /**
   * The last error in words (NOTIFICATION sent or received, decode error) and
   * when it happened (clock ms).  Historical, as FRR's "Last reset ... due
   * to": it stays after the session recovers, shown with its age.
   */
  get lastError(): string { return this.error.text; }
  set lastError(text: string) {
    this.error = { text, at: this.hooks.clock.now() };
    this.cause = text;
    this.errorSinceUp = true;
  }
  get lastErrorAt(): number | null { return this.error.at; }
  /** the error of the current outage: lastError until the session is Established again, then '' */
  get outageError(): string { return this.errorSinceUp ? this.error.text : ''; }
  private error: { text: string; at: number | null } = { text: '', at: null };
  /** the error behind the FSM event being dispatched now (a NOTIFICATION we send names it); cleared after each dispatch */
  private cause = '';
  /** an error was recorded since the session was last Established (this outage's, not an older one) */
  private errorSinceUp = false;
  adminUp = false;
  readonly counters: Counters = {
    rx: zeroMessageCounts(),
    tx: zeroMessageCounts(),
  };
  establishedAt = 0;
  flaps = 0;
  negotiated: Negotiated | null = null;
  /** capabilities we advertise */
  readonly localCaps: Capabilities;
  ctx: UpdateContext = { as4: true };
  maxLen = MAX_LEN;
  /** rib source index assigned by the speaker */
  sourceIndex = -1;
  localAddress = '';
  private conn: Conn | null = null;
  private pending: Conn | null = null;
  private readonly timers: SessionTimers;
  private readonly rx: Receiver;
  private downGraceful = false;

  constructor(readonly config: PeerConfig, private readonly hooks: PeerHooks, allowLoopbackNextHop = false) {
    this.ctx.allowLoopbackNextHop = allowLoopbackNextHop;
    this.localCaps = localCapabilities(config, hooks.localAs);
    this.timers = new SessionTimers(hooks.clock, (t) => this.onTimer(t));
    this.rx = {
      peer: this, hooks,
      current: (c) => this.conn === c && !c.closed,
      dispatch: (i, c) => this.dispatch(i, c),
      openReceived: (c, m) => this.handleOpen(c, m),
      touch: () => this.timers.touch(),
    };
  }

  get name(): string { return this.config.address; }
  get established(): boolean { return this.state === State.Established; }

  start(): void { this.adminUp = true; this.dispatch({ event: Event.ManualStart }); }
  /** Administrative stop; `message` goes out as an RFC 9003 Shutdown Communication (≤ 255 octets of UTF-8). */
  stop(message?: string): void {
    this.adminUp = false;
    this.timers.clear('restart');
    if (message) {
      const text = Buffer.from(message, 'utf8').subarray(0, 255);
      this.dispatch({ event: Event.ManualStop, notify: { code: ErrorCode.Cease, subcode: 2, data: Buffer.concat([Buffer.from([text.length]), text]) } });
    } else this.dispatch({ event: Event.ManualStop });
    this.dropPending();
  }

  // ---- FSM plumbing ---------------------------------------------------------

  private dispatch(i: Omit<FsmInput, 'passive'>, conn: Conn | null = this.conn): void {
    const from = this.state;
    const t = step(from, { ...i, passive: this.config.passive });
    this.state = t.next;
    if (from !== t.next) this.reason = t.reason;
    try {
      for (const a of t.actions) this.perform(a, conn);
    } finally {
      this.cause = '';
    }
    if (from !== t.next) {
      if (from === State.Established) this.flaps++;
      this.hooks.onStateChange(this, from, t.next, t.reason);
    }
  }

  private perform(a: Action, conn: Conn | null): void {
    switch (a.do) {
      case 'connect': this.connect(); break;
      case 'close': if (conn) { conn.close(); if (conn === this.conn) this.conn = null; } break;
      case 'send-open': if (conn) this.sendOpen(conn); break;
      case 'send-keepalive': if (conn) { conn.write(keepalive.encode()); this.counters.tx.keepalive++; } break;
      case 'send-notification': if (conn) this.sendNotification(conn, a.notify); break;
      case 'start-connect-retry': this.timers.startConnectRetry(this.config.connectRetry); break;
      case 'stop-connect-retry': this.timers.clear('retry'); break;
      case 'start-hold': this.timers.startHold(a.initial ? 240 : (this.negotiated?.holdTime ?? this.config.holdTime)); break;
      case 'start-keepalive': this.timers.startKeepalive(this.negotiated?.keepalive ?? this.config.keepaliveInterval); break;
      case 'stop-timers': this.timers.clear('retry'); this.timers.clear('hold'); this.timers.clear('keepalive'); break;
      case 'established': this.establishedAt = this.hooks.clock.now(); this.errorSinceUp = false; this.timers.established(); this.hooks.onEstablished(this); break;
      case 'session-down': { const g = this.downGraceful; this.downGraceful = false; this.hooks.onDown(this, g); break; }
      case 'auto-restart': if (this.adminUp) this.timers.scheduleRestart(this.config.idleHoldTime); break;
    }
  }

  /** A session timer expired: its FSM event. */
  private onTimer(t: TimerName): void {
    switch (t) {
      case 'retry': this.dispatch({ event: Event.ConnectRetryTimerExpires }); break;
      case 'hold': this.lastError = 'hold timer expired'; this.dispatch({ event: Event.HoldTimerExpires }); break;
      case 'keepalive': this.dispatch({ event: Event.KeepaliveTimerExpires }); break;
      case 'restart': if (this.adminUp && this.state === State.Idle) this.dispatch({ event: Event.AutomaticStart }); break;
    }
  }

  // ---- connections ------------------------------------------------------------

  private connect(): void {
    const opts: net.NetConnectOpts = { host: this.config.address, port: this.config.port };
    if (this.config.localAddress) opts.localAddress = this.config.localAddress;
    const s = net.connect(opts);
    const c = new Conn(s, true);
    if (this.conn) this.conn.close();
    this.conn = c;
    s.setNoDelay(true);
    s.once('connect', () => {
      if (this.conn !== c) { c.close(); return; }
      this.attach(c);
      this.localAddress = s.localAddress ?? '';
      this.dispatch({ event: Event.TcpConnectionConfirmed }, c);
    });
    s.on('error', () => { /* reported through 'close' */ });
    this.watchClose(c);
  }

  private onConnLost(c: Conn): void {
    if (this.state === State.Established && this.negotiated?.peerGr?.families.length) this.downGraceful = true;
    // keep this outage's first error (a refused OPEN) over the retries' closes
    if (!this.errorSinceUp || this.state === State.Established) this.lastError = 'connection closed by peer';
    this.dispatch({ event: Event.TcpConnectionFails }, c);
  }

  /** An incoming TCP connection from this neighbor's address. */
  accept(s: net.Socket): void {
    s.setNoDelay(true);
    const c = new Conn(s, false);
    const st = this.state;
    if (!this.adminUp) { s.destroy(); return; }
    if (st === State.Idle || (st === State.Active && !this.conn)) {
      this.timers.clear('restart');
      if (st === State.Idle) this.dispatch({ event: Event.AutomaticStart });
      if (this.conn) { this.conn.abort(); this.conn = null; }
      this.adopt(c);
      this.dispatch({ event: Event.TcpConnectionConfirmed }, c);
      return;
    }
    if (st === State.Established) {
      if (this.negotiated?.peerGr) {
        // RFC 4724 §4.2: the peer restarted. End the old session gracefully
        // (no NOTIFICATION), keep its routes stale, carry on with the new one.
        const old = this.conn!;
        old.abort(); this.conn = null;
        this.downGraceful = (this.negotiated.peerGr.families.length ?? 0) > 0;
        this.lastError = 'peer restarted (new connection while established)';
        this.dispatch({ event: Event.TcpConnectionFails }, null);
        this.timers.clear('restart');
        this.dispatch({ event: Event.AutomaticStart });
        this.adopt(c);
        this.dispatch({ event: Event.TcpConnectionConfirmed }, c);
        return;
      }
      this.sendNotification(c, { code: ErrorCode.Cease, subcode: 7 });
      c.close();
      return;
    }
    // Connect (our own attempt in flight), OpenSent, OpenConfirm: a collision
    // candidate. It gets our OPEN; its OPEN decides (onPendingData).
    this.pending?.abort();
    this.pending = c;
    this.localAddress ||= s.localAddress ?? '';
    this.sendOpen(c);
    s.on('data', (d: Buffer) => this.onPendingData(c, d));
    s.on('error', () => {});
    s.once('close', () => { if (this.pending === c) this.pending = null; });
  }

  private adopt(c: Conn): void {
    this.conn = c;
    this.localAddress = c.socket.localAddress ?? '';
    this.attach(c);
    c.socket.on('error', () => {});
    this.watchClose(c);
  }

  /** The socket closed: if it was the session's connection and we did not close it, the connection is lost. */
  private watchClose(c: Conn): void {
    c.socket.once('close', () => {
      const was = c.closed;
      c.closed = true;
      if (this.conn === c && !was) { this.conn = null; this.onConnLost(c); }
    });
  }

  private attach(c: Conn): void {
    c.socket.on('data', (d: Buffer) => { if (this.conn === c && !c.closed) { c.reader.push(d); drain(this.rx, c, c.reader); } });
  }

  private dropPending(): void { if (this.pending) { this.pending.close(); this.pending = null; } }

  private onPendingData(c: Conn, d: Buffer): void {
    if (this.pending !== c) return;
    try {
      c.reader.push(d);
      const m = c.reader.next();
      if (!m) return;
      const [buf, off, len] = m;
      if (buf[off + 18] !== MsgType.Open) throw new BgpDecodeError(5, 1, 4, 'expected OPEN on colliding connection');
      c.open = open.decode(buf.subarray(off + HEADER_LEN, off + len));
      this.counters.rx.open++;
    } catch (e) {
      if (e instanceof BgpDecodeError) this.sendNotification(c, { code: e.code, subcode: e.subcode, data: e.data });
      c.close(); this.pending = null;
      return;
    }
    const primaryOpen = this.state === State.OpenSent || this.state === State.OpenConfirm;
    if (incomingWins(this.hooks.routerId, c.open.bgpId, this.conn, primaryOpen)) {
      const old = this.conn;
      this.pending = null;
      if (old) {
        if (primaryOpen) this.sendNotification(old, { code: ErrorCode.Cease, subcode: 7 });
        old.closed = true; old.socket.end(); setTimeout(() => old.socket.destroy(), 1000).unref();
      }
      this.conn = null;
      for (const t of ['hold', 'keepalive', 'retry', 'restart'] as const) this.timers.clear(t);
      const from = this.state;
      this.state = State.OpenSent;
      if (from !== State.OpenSent) this.hooks.onStateChange(this, from, State.OpenSent, Event.TcpConnectionConfirmed);
      this.adopt(c);
      this.perform({ do: 'start-hold', initial: true }, c);
      const rest = c.reader;
      this.handleOpen(c, c.open);
      // Messages that followed the OPEN in the same segment.
      drain(this.rx, c, rest);
    } else {
      this.sendNotification(c, { code: ErrorCode.Cease, subcode: 7 });
      c.close(); this.pending = null;
    }
  }

  // ---- messages -----------------------------------------------------------------

  private sendOpen(c: Conn): void {
    c.write(open.encode({ myAs: this.hooks.localAs, holdTime: this.config.holdTime, bgpId: this.hooks.routerId, capabilities: this.localCaps }));
    this.counters.tx.open++;
  }

  private sendNotification(c: Conn, n: Notify): void {
    c.write(notification.encode({ code: n.code, subcode: n.subcode, data: Buffer.from(n.data ?? []).toString('hex') }));
    this.counters.tx.notification++;
    // the cause is this event's error only: never an earlier session's
    this.lastError = `sent NOTIFICATION ${n.code}/${n.subcode}${this.cause ? ` (${this.cause})` : ''}`;
  }

  /** Write raw message bytes (UPDATEs built by the speaker). */
  write(b: Buffer, updates = 1): void {
    if (!this.conn || this.state !== State.Established) return;
    this.conn.write(b);
    this.counters.tx.update += updates;
  }
  sendRouteRefresh(afi: number, safi: number, subtype = 0): void {
    if (!this.conn || this.state !== State.Established) return;
    this.conn.write(routeRefreshMsg.encode({ afi, safi, subtype }));
    this.counters.tx.routeRefresh++;
  }

  /** OPEN checks that need configuration (RFC 4271 §6.2), then capability negotiation. */
  private handleOpen(c: Conn, m: OpenMessage): void {
    const err = openError(this.config, this.hooks.localAs, this.hooks.routerId, m);
    if (err) {
      this.lastError = err.message;
      this.dispatch({ event: Event.BgpOpenMsgErr, notify: { code: ErrorCode.OpenMessage, subcode: err.subcode } }, c);
      return;
    }
    c.open = m;
    const neg = negotiate(this.config, m);
    this.negotiated = neg;
    this.ctx = { as4: neg.as4, addPathRx: neg.addPathRx, addPathTx: neg.addPathTx, families: neg.families, allowLoopbackNextHop: !!this.ctx.allowLoopbackNextHop };
    this.maxLen = neg.extendedMessage ? MAX_EXT_LEN : MAX_LEN;
    c.reader.maxLen = this.maxLen;
    this.dispatch({ event: Event.BgpOpen }, c);
  }

  /** Called by the speaker when the prefix limit is exceeded (RFC 4486 §4 data: AFI, SAFI, limit). */
  maxPrefixExceeded(afi: number, safi: number): void {
    const d = Buffer.alloc(7); d.writeUInt16BE(afi); d[2] = safi; d.writeUInt32BE(this.config.maxPrefix ?? 0, 3);
    this.lastError = `maximum prefix count ${this.config.maxPrefix} exceeded`;
    this.dispatch({ event: Event.MaxPrefix, notify: { code: ErrorCode.Cease, subcode: 1, data: d } });
  }

  familyEnabled(name: FamilyName): boolean { return !!this.negotiated?.families[familyOf(name).id]; }
  static familyOf(afi: number, safi: number) { return familyByAfiSafi(afi, safi); }
}
