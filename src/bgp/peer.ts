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
 */
import net from 'node:net';
import { BgpDecodeError, ErrorCode, OpenSubcode } from './codec/errors.js';
import { FAMILIES, familyByAfiSafi, familyOf, type FamilyName } from './codec/family.js';
import { keepalive } from './codec/message/keepalive.js';
import { HEADER_LEN, MAX_EXT_LEN, MAX_LEN, MsgType } from './codec/message/header.js';
import { MessageReader } from './codec/message/index.js';
import { notification, type NotificationMessage } from './codec/message/notification.js';
import { open, type OpenMessage } from './codec/message/open.js';
import { zeroMessageCounts, type MessageCounts } from './message-counters.js';
import { routeRefreshMsg, type RouteRefreshMessage } from './codec/message/route-refresh.js';
import type { UpdateContext } from './codec/message/update.js';
import type { Capabilities, GracefulRestartCap } from './codec/capability/types.js';
import type { Clock } from '../util/clock.js';
import { Event, State, step, type Action, type FsmInput, type Notify, type Reason } from './fsm.js';

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

class Conn {
  readonly reader = new MessageReader();
  open: OpenMessage | undefined;
  closed = false;
  constructor(readonly socket: net.Socket, readonly outgoing: boolean) {}
  write(b: Buffer): void { if (!this.closed) this.socket.write(b); }
  close(): void { if (!this.closed) { this.closed = true; this.socket.end(); setTimeout(() => this.socket.destroy(), 1000).unref(); } }
}

export interface Negotiated {
  holdTime: number;
  keepalive: number;
  as4: boolean;
  families: boolean[];
  addPathRx: boolean[];
  addPathTx: boolean[];
  extendedMessage: boolean;
  routeRefresh: boolean;
  enhancedRouteRefresh: boolean;
  /** the peer's graceful-restart capability, if it sent one */
  peerGr?: GracefulRestartCap;
  remoteId: string;
  remoteAs: number;
}

export class Peer {
  state: State = State.Idle;
  reason: Reason = Event.ManualStop;
  /** last error in words (NOTIFICATION sent or received, decode error) */
  lastError = '';
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
  private timers: Record<'retry' | 'hold' | 'keepalive' | 'restart', unknown> = { retry: null, hold: null, keepalive: null, restart: null };
  private downGraceful = false;

  constructor(readonly config: PeerConfig, private readonly hooks: PeerHooks, allowLoopbackNextHop = false) {
    this.ctx.allowLoopbackNextHop = allowLoopbackNextHop;
    const mp = config.families.map((n) => ({ afi: familyOf(n).afi, safi: familyOf(n).safi }));
    this.localCaps = {
      multiprotocol: mp,
      routeRefresh: true,
      enhancedRouteRefresh: true,
      as4: hooks.localAs,
      extendedMessage: true,
    };
    if (config.gracefulRestart.enabled) {
      // Helper mode: we advertise the capability (so peers send End-of-RIB and
      // keep our routes) but preserve no forwarding state ourselves.
      this.localCaps.gracefulRestart = { restarting: false, notification: false, time: config.gracefulRestart.restartTime, families: [] };
    }
    if (config.addPathReceive.length) {
      this.localCaps.addPath = config.addPathReceive.map((n) => ({ afi: familyOf(n).afi, safi: familyOf(n).safi, mode: 1 as const }));
    }
    // RFC 8950: IPv4 NLRI with IPv6 next hops.
    const enhe = config.families.filter((n) => familyOf(n).extendedNextHop);
    if (enhe.length) this.localCaps.extendedNextHop = enhe.map((n) => ({ afi: 1, safi: familyOf(n).safi, nextHopAfi: 2 }));
  }

  get name(): string { return this.config.address; }
  get established(): boolean { return this.state === State.Established; }

  start(): void { this.adminUp = true; this.dispatch({ event: Event.ManualStart }); }
  /** Administrative stop; `message` goes out as an RFC 9003 Shutdown Communication (≤ 255 octets of UTF-8). */
  stop(message?: string): void {
    this.adminUp = false;
    this.clearTimer('restart');
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
    for (const a of t.actions) this.perform(a, conn);
    if (from !== t.next) {
      if (from === State.Established) this.flaps++;
      this.hooks.onStateChange(this, from, t.next, t.reason);
    }
  }

  private perform(a: Action, conn: Conn | null): void {
    const clock = this.hooks.clock;
    switch (a.do) {
      case 'connect': this.connect(); break;
      case 'close': if (conn) { conn.close(); if (conn === this.conn) this.conn = null; } break;
      case 'send-open': if (conn) this.sendOpen(conn); break;
      case 'send-keepalive': if (conn) { conn.write(keepalive.encode()); this.counters.tx.keepalive++; } break;
      case 'send-notification': if (conn) this.sendNotification(conn, a.notify); break;
      case 'start-connect-retry':
        this.clearTimer('retry');
        this.timers.retry = clock.setTimeout(() => { this.timers.retry = null; this.dispatch({ event: Event.ConnectRetryTimerExpires }); }, this.config.connectRetry * 1000);
        break;
      case 'stop-connect-retry': this.clearTimer('retry'); break;
      case 'start-hold': {
        const secs = a.initial ? 240 : (this.negotiated?.holdTime ?? this.config.holdTime);
        this.lastRx = clock.now();
        // Restarting the hold timer on every message would create a timer per
        // UPDATE; instead the armed timer checks the time of the last message
        // when it fires and re-arms for the remainder.
        if (this.timers.hold !== null && secs === this.holdSecs) break;
        this.clearTimer('hold');
        this.holdSecs = secs;
        if (secs > 0) this.armHold(secs * 1000);
        break;
      }
      case 'start-keepalive': {
        this.clearTimer('keepalive');
        const secs = this.negotiated?.keepalive ?? this.config.keepaliveInterval;
        if (secs > 0) this.timers.keepalive = clock.setTimeout(() => { this.timers.keepalive = null; this.dispatch({ event: Event.KeepaliveTimerExpires }); }, secs * 1000);
        break;
      }
      case 'stop-timers': this.clearTimer('retry'); this.clearTimer('hold'); this.clearTimer('keepalive'); break;
      case 'established': this.establishedAt = clock.now(); this.idleFailures = 0; this.hooks.onEstablished(this); break;
      case 'session-down': { const g = this.downGraceful; this.downGraceful = false; this.hooks.onDown(this, g); break; }
      case 'auto-restart':
        if (!this.adminUp) break;
        this.clearTimer('restart');
        // Idle hold doubles on each failure without an Established session in
        // between, up to 60 s (a simple form of RFC 4271 §8.1.1 DampPeerOscillations).
        const delay = Math.min(this.config.idleHoldTime * 2 ** this.idleFailures, Math.max(60, this.config.idleHoldTime));
        this.idleFailures = Math.min(this.idleFailures + 1, 16);
        this.timers.restart = clock.setTimeout(() => { this.timers.restart = null; if (this.adminUp && this.state === State.Idle) this.dispatch({ event: Event.AutomaticStart }); }, delay * 1000);
        break;
    }
  }

  private idleFailures = 0;
  private lastRx = 0;
  private holdSecs = -1;
  private armHold(ms: number): void {
    const clock = this.hooks.clock;
    this.timers.hold = clock.setTimeout(() => {
      this.timers.hold = null;
      const left = this.lastRx + this.holdSecs * 1000 - clock.now();
      if (left > 0) { this.armHold(left); return; }
      this.lastError = 'hold timer expired';
      this.dispatch({ event: Event.HoldTimerExpires });
    }, ms);
  }

  /** Established + KEEPALIVE/UPDATE: the FSM only restarts the hold timer (RFC 4271 §8.2.2). */
  private touch(): void { this.lastRx = this.hooks.clock.now(); }

  private clearTimer(k: keyof Peer['timers']): void {
    if (k === 'hold') this.holdSecs = -1;
    if (this.timers[k] !== null) { this.hooks.clock.clearTimeout(this.timers[k]); this.timers[k] = null; }
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
    s.once('close', () => {
      const was = c.closed;
      c.closed = true;
      if (this.conn === c && !was) { this.conn = null; this.onConnLost(c); }
    });
  }

  private onConnLost(c: Conn): void {
    if (this.state === State.Established && this.negotiated?.peerGr?.families.length) this.downGraceful = true;
    if (!this.lastError || this.state === State.Established) this.lastError = 'connection closed by peer';
    this.dispatch({ event: Event.TcpConnectionFails }, c);
  }

  /** An incoming TCP connection from this neighbor's address. */
  accept(s: net.Socket): void {
    s.setNoDelay(true);
    const c = new Conn(s, false);
    const st = this.state;
    if (!this.adminUp) { s.destroy(); return; }
    if (st === State.Idle || (st === State.Active && !this.conn)) {
      this.clearTimer('restart');
      if (st === State.Idle) this.dispatch({ event: Event.AutomaticStart });
      if (this.conn) { this.conn.closed = true; this.conn.socket.destroy(); this.conn = null; }
      this.adopt(c);
      this.dispatch({ event: Event.TcpConnectionConfirmed }, c);
      return;
    }
    if (st === State.Established) {
      if (this.negotiated?.peerGr) {
        // RFC 4724 §4.2: the peer restarted. End the old session gracefully
        // (no NOTIFICATION), keep its routes stale, carry on with the new one.
        const old = this.conn!;
        old.closed = true; old.socket.destroy(); this.conn = null;
        this.downGraceful = (this.negotiated.peerGr.families.length ?? 0) > 0;
        this.lastError = 'peer restarted (new connection while established)';
        this.dispatch({ event: Event.TcpConnectionFails }, null);
        this.clearTimer('restart');
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
    if (this.pending) { this.pending.closed = true; this.pending.socket.destroy(); }
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
    c.socket.once('close', () => {
      const was = c.closed;
      c.closed = true;
      if (this.conn === c && !was) { this.conn = null; this.onConnLost(c); }
    });
  }

  private attach(c: Conn): void {
    c.socket.on('data', (d: Buffer) => { if (this.conn === c && !c.closed) this.onData(c, d); });
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
    // RFC 4271 §6.8: the connection initiated by the speaker with the lower
    // BGP Identifier is closed.
    const localLower = ipNum(this.hooks.routerId) < ipNum(c.open.bgpId);
    const primaryOpen = this.state === State.OpenSent || this.state === State.OpenConfirm;
    // No competing connection that got as far as OPEN: the candidate wins.
    const keepIncoming = !this.conn || !primaryOpen || localLower === this.conn.outgoing;
    if (keepIncoming) {
      const old = this.conn;
      this.pending = null;
      if (old) {
        if (primaryOpen) this.sendNotification(old, { code: ErrorCode.Cease, subcode: 7 });
        old.closed = true; old.socket.end(); setTimeout(() => old.socket.destroy(), 1000).unref();
      }
      this.conn = null;
      this.clearTimer('hold'); this.clearTimer('keepalive'); this.clearTimer('retry'); this.clearTimer('restart');
      const from = this.state;
      this.state = State.OpenSent;
      if (from !== State.OpenSent) this.hooks.onStateChange(this, from, State.OpenSent, Event.TcpConnectionConfirmed);
      this.adopt(c);
      this.perform({ do: 'start-hold', initial: true }, c);
      const rest = c.reader;
      this.handleOpen(c, c.open);
      // Messages that followed the OPEN in the same segment.
      this.drain(c, rest);
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
    this.lastError = `sent NOTIFICATION ${n.code}/${n.subcode}${this.lastError ? ` (${this.lastError})` : ''}`;
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

  private onData(c: Conn, d: Buffer): void {
    c.reader.push(d);
    this.drain(c, c.reader);
  }

  private drain(c: Conn, r: MessageReader): void {
    let any = false;
    for (;;) {
      if (this.conn !== c || c.closed) break;
      let m: [Buffer, number, number] | null;
      try { m = r.next(); } catch (e) {
        if (!(e instanceof BgpDecodeError)) throw e;
        this.lastError = e.message;
        this.dispatch({ event: Event.BgpHeaderErr, notify: { code: e.code, subcode: e.subcode, data: e.data } }, c);
        break;
      }
      if (!m) break;
      any = true;
      this.handle(c, m[0], m[1], m[2]);
    }
    if (any) this.hooks.onBatch(this);
  }

  private handle(c: Conn, buf: Buffer, off: number, len: number): void {
    const type = buf[off + 18]!;
    const body = buf.subarray(off + HEADER_LEN, off + len);
    switch (type) {
      case MsgType.Open: {
        this.counters.rx.open++;
        let m: OpenMessage;
        try { m = open.decode(body); } catch (e) {
          if (!(e instanceof BgpDecodeError)) throw e;
          this.lastError = e.message;
          this.dispatch({ event: Event.BgpOpenMsgErr, notify: { code: e.code, subcode: e.subcode, data: e.data } }, c);
          return;
        }
        if (this.state !== State.OpenSent) { this.dispatch({ event: Event.BgpOpen }, c); return; }
        this.handleOpen(c, m);
        return;
      }
      case MsgType.Keepalive:
        this.counters.rx.keepalive++;
        if (this.state === State.Established) { this.touch(); return; }
        this.dispatch({ event: Event.KeepAliveMsg }, c);
        return;
      case MsgType.Notification: {
        this.counters.rx.notification++;
        const n: NotificationMessage = notification.decode(body);
        const text = notification.shutdownMessage(n);
        this.lastError = `received NOTIFICATION ${n.code}/${n.subcode}${text ? ` "${text}"` : ''}`;
        this.dispatch({ event: Event.NotifMsg }, c);
        return;
      }
      case MsgType.RouteRefresh: {
        this.counters.rx.routeRefresh++;
        let m: RouteRefreshMessage;
        try { m = routeRefreshMsg.decode(body); } catch (e) {
          if (!(e instanceof BgpDecodeError)) throw e;
          this.lastError = e.message;
          this.dispatch({ event: Event.UpdateMsgErr, notify: { code: e.code, subcode: e.subcode } }, c);
          return;
        }
        if (this.state !== State.Established) { this.dispatch({ event: Event.RouteRefreshMsg }, c); return; }
        this.dispatch({ event: Event.RouteRefreshMsg }, c);
        this.hooks.onRouteRefresh(this, m);
        return;
      }
      case MsgType.Update: {
        this.counters.rx.update++;
        if (this.state !== State.Established) { this.dispatch({ event: Event.UpdateMsg }, c); return; }
        try {
          this.hooks.onUpdate(this, buf, off, len);
        } catch (e) {
          if (!(e instanceof BgpDecodeError)) throw e;
          this.lastError = e.message;
          this.dispatch({ event: Event.UpdateMsgErr, notify: { code: e.code, subcode: e.subcode, data: e.data } }, c);
          return;
        }
        if (this.state === State.Established) this.touch();
        return;
      }
    }
  }

  /** OPEN checks that need configuration (RFC 4271 §6.2), then capability negotiation. */
  private handleOpen(c: Conn, m: OpenMessage): void {
    const remoteAs = m.capabilities.as4 ?? m.myAs;
    const fail = (sub: number, msg: string, data?: Uint8Array) => {
      this.lastError = msg;
      this.dispatch({ event: Event.BgpOpenMsgErr, notify: data ? { code: ErrorCode.OpenMessage, subcode: sub, data } : { code: ErrorCode.OpenMessage, subcode: sub } }, c);
    };
    if (remoteAs !== this.config.peerAs) return fail(OpenSubcode.BadPeerAs, `peer AS ${remoteAs}, expected ${this.config.peerAs}`);
    if (remoteAs === this.hooks.localAs && m.bgpId === this.hooks.routerId) return fail(OpenSubcode.BadBgpId, `peer BGP identifier ${m.bgpId} equals ours`);
    if (this.pending?.open === undefined && this.pending) {
      // A colliding connection is still waiting for its OPEN; this one proceeds.
    }
    c.open = m;
    const caps = m.capabilities;
    const theirs = caps.multiprotocol.length ? caps.multiprotocol : [{ afi: 1, safi: 1 }];
    const families = FAMILIES.map((f) => this.config.families.includes(f.name) && theirs.some((x) => x.afi === f.afi && x.safi === f.safi));
    const addPathRx = FAMILIES.map((f) => this.config.addPathReceive.includes(f.name) && (caps.addPath ?? []).some((x) => x.afi === f.afi && x.safi === f.safi && (x.mode & 2) !== 0));
    const holdTime = Math.min(this.config.holdTime, m.holdTime);
    const keepaliveSecs = holdTime === 0 ? 0 : Math.max(1, Math.min(this.config.keepaliveInterval, Math.floor(holdTime / 3)));
    const neg: Negotiated = {
      holdTime, keepalive: keepaliveSecs, as4: caps.as4 !== undefined, families, addPathRx, addPathTx: FAMILIES.map(() => false),
      extendedMessage: !!caps.extendedMessage, routeRefresh: !!caps.routeRefresh, enhancedRouteRefresh: !!caps.enhancedRouteRefresh,
      remoteId: m.bgpId, remoteAs,
    };
    if (caps.gracefulRestart) neg.peerGr = caps.gracefulRestart;
    this.negotiated = neg;
    this.ctx = { as4: neg.as4, addPathRx, addPathTx: neg.addPathTx, families, allowLoopbackNextHop: !!this.ctx.allowLoopbackNextHop };
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

function ipNum(s: string): number { const p = s.split('.').map(Number); return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0; }
