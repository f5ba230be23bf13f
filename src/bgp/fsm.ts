/**
 * BGP finite state machine (RFC 4271 §8), one function per state. Each takes
 * an event and returns the next state, the reason (an enum shown in logs, the
 * API and `hvswitch bgp neighbor`) and the actions the peer must perform.
 * The FSM is pure: sockets, timers and messages belong to src/bgp/peer.ts.
 *
 * Simplifications: no DelayOpen, no damping of peer oscillations beyond the
 * idle-hold back-off done by the peer; the optional events of §8.1.2 that
 * configure those are not modelled. Collision detection (§6.8) happens in the
 * peer, which injects `OpenCollisionDump` into the losing connection.
 */
export const State = {
  Idle: 'idle', Connect: 'connect', Active: 'active', OpenSent: 'opensent', OpenConfirm: 'openconfirm', Established: 'established',
} as const;
export type State = (typeof State)[keyof typeof State];

export const Event = {
  ManualStart: 'manual-start',
  AutomaticStart: 'automatic-start',
  ManualStop: 'manual-stop',
  ConnectRetryTimerExpires: 'connect-retry-timer-expires',
  HoldTimerExpires: 'hold-timer-expires',
  KeepaliveTimerExpires: 'keepalive-timer-expires',
  TcpConnectionConfirmed: 'tcp-connection-confirmed',
  TcpConnectionFails: 'tcp-connection-fails',
  BgpOpen: 'bgp-open',
  BgpHeaderErr: 'bgp-header-error',
  BgpOpenMsgErr: 'bgp-open-error',
  OpenCollisionDump: 'open-collision-dump',
  NotifMsg: 'notification-received',
  KeepAliveMsg: 'keepalive-received',
  UpdateMsg: 'update-received',
  UpdateMsgErr: 'update-error',
  RouteRefreshMsg: 'route-refresh-received',
  MaxPrefix: 'max-prefix-exceeded',
} as const;
export type Event = (typeof Event)[keyof typeof Event];

/** Why the FSM moved: the event, plus error detail carried by the peer. */
export type Reason = Event;

export interface Notify { code: number; subcode: number; data?: Uint8Array }

export type Action =
  | { do: 'connect' }
  | { do: 'close' }
  | { do: 'send-open' }
  | { do: 'send-keepalive' }
  | { do: 'send-notification'; notify: Notify }
  | { do: 'start-connect-retry' }
  | { do: 'stop-connect-retry' }
  | { do: 'start-hold'; initial: boolean }
  | { do: 'start-keepalive' }
  | { do: 'stop-timers' }
  | { do: 'established' }
  | { do: 'session-down' }
  | { do: 'auto-restart' };

export interface Transition { next: State; reason: Reason; actions: Action[] }

export interface FsmInput {
  event: Event;
  passive: boolean;
  /** NOTIFICATION to send for error events (header/open/update errors, max-prefix) */
  notify?: Notify;
}

const A = {
  connect: { do: 'connect' } as Action,
  close: { do: 'close' } as Action,
  open: { do: 'send-open' } as Action,
  ka: { do: 'send-keepalive' } as Action,
  retry: { do: 'start-connect-retry' } as Action,
  noRetry: { do: 'stop-connect-retry' } as Action,
  holdInitial: { do: 'start-hold', initial: true } as Action,
  hold: { do: 'start-hold', initial: false } as Action,
  kaTimer: { do: 'start-keepalive' } as Action,
  stop: { do: 'stop-timers' } as Action,
  up: { do: 'established' } as Action,
  down: { do: 'session-down' } as Action,
  restart: { do: 'auto-restart' } as Action,
  notify: (code: number, subcode: number, data?: Uint8Array): Action => ({ do: 'send-notification', notify: data ? { code, subcode, data } : { code, subcode } }),
};

const cease = (sub: number) => A.notify(6, sub);

/** Leaving a session on an error: notify, close, stop timers, schedule an automatic restart. */
function fail(reason: Reason, notify: Action | null, wasUp: boolean): Transition {
  const actions: Action[] = [];
  if (notify) actions.push(notify);
  actions.push(A.stop, A.close);
  if (wasUp) actions.push(A.down);
  actions.push(A.restart);
  return { next: State.Idle, reason, actions };
}

function stopped(reason: Reason, wasOpen: boolean, wasUp: boolean, notify?: Notify): Transition {
  const actions: Action[] = [];
  // RFC 9003: the peer may carry a Shutdown Communication in the Cease/2 data.
  if (wasOpen) actions.push(notify?.data ? A.notify(6, 2, notify.data) : cease(2));
  actions.push(A.stop, A.close);
  if (wasUp) actions.push(A.down);
  return { next: State.Idle, reason, actions };
}

function errNotify(i: FsmInput, code: number, sub: number): Action {
  return i.notify ? A.notify(i.notify.code, i.notify.subcode, i.notify.data) : A.notify(code, sub);
}

export function idle(i: FsmInput): Transition {
  switch (i.event) {
    case Event.ManualStart:
    case Event.AutomaticStart:
      return i.passive
        ? { next: State.Active, reason: i.event, actions: [A.retry] }
        : { next: State.Connect, reason: i.event, actions: [A.retry, A.connect] };
    default:
      return { next: State.Idle, reason: i.event, actions: [] };
  }
}

export function connect(i: FsmInput): Transition {
  switch (i.event) {
    case Event.ManualStart: case Event.AutomaticStart: return { next: State.Connect, reason: i.event, actions: [] };
    case Event.ManualStop: return stopped(i.event, false, false);
    case Event.ConnectRetryTimerExpires: return { next: State.Connect, reason: i.event, actions: [A.close, A.retry, A.connect] };
    case Event.TcpConnectionConfirmed: return { next: State.OpenSent, reason: i.event, actions: [A.noRetry, A.open, A.holdInitial] };
    case Event.TcpConnectionFails: return { next: State.Active, reason: i.event, actions: [A.close, A.retry] };
    default: return fail(i.event, null, false);
  }
}

export function active(i: FsmInput): Transition {
  switch (i.event) {
    case Event.ManualStart: case Event.AutomaticStart: return { next: State.Active, reason: i.event, actions: [] };
    case Event.ManualStop: return stopped(i.event, false, false);
    case Event.ConnectRetryTimerExpires:
      return i.passive ? { next: State.Active, reason: i.event, actions: [A.retry] } : { next: State.Connect, reason: i.event, actions: [A.retry, A.connect] };
    case Event.TcpConnectionConfirmed: return { next: State.OpenSent, reason: i.event, actions: [A.noRetry, A.open, A.holdInitial] };
    case Event.TcpConnectionFails: return { next: State.Active, reason: i.event, actions: [A.close, A.retry] };
    default: return fail(i.event, null, false);
  }
}

export function openSent(i: FsmInput): Transition {
  switch (i.event) {
    case Event.ManualStart: case Event.AutomaticStart: return { next: State.OpenSent, reason: i.event, actions: [] };
    case Event.ManualStop: return stopped(i.event, true, false, i.notify);
    case Event.BgpOpen: return { next: State.OpenConfirm, reason: i.event, actions: [A.ka, A.kaTimer, A.hold] };
    case Event.TcpConnectionFails: return { next: State.Active, reason: i.event, actions: [A.stop, A.close, A.retry] };
    case Event.HoldTimerExpires: return fail(i.event, A.notify(4, 0), false);
    case Event.BgpHeaderErr: case Event.BgpOpenMsgErr: return fail(i.event, errNotify(i, 2, 0), false);
    case Event.OpenCollisionDump: return fail(i.event, cease(7), false);
    case Event.NotifMsg: return fail(i.event, null, false);
    // RFC 6608 §4: unexpected message in OpenSent → FSM error subcode 1
    default: return fail(i.event, A.notify(5, 1), false);
  }
}

export function openConfirm(i: FsmInput): Transition {
  switch (i.event) {
    case Event.ManualStart: case Event.AutomaticStart: return { next: State.OpenConfirm, reason: i.event, actions: [] };
    case Event.ManualStop: return stopped(i.event, true, false, i.notify);
    case Event.KeepAliveMsg: return { next: State.Established, reason: i.event, actions: [A.hold, A.up] };
    case Event.KeepaliveTimerExpires: return { next: State.OpenConfirm, reason: i.event, actions: [A.ka, A.kaTimer] };
    case Event.HoldTimerExpires: return fail(i.event, A.notify(4, 0), false);
    case Event.BgpHeaderErr: case Event.BgpOpenMsgErr: return fail(i.event, errNotify(i, 2, 0), false);
    case Event.OpenCollisionDump: return fail(i.event, cease(7), false);
    case Event.NotifMsg: case Event.TcpConnectionFails: return fail(i.event, null, false);
    // RFC 6608 §4: subcode 2 = unexpected message in OpenConfirm
    default: return fail(i.event, A.notify(5, 2), false);
  }
}

export function established(i: FsmInput): Transition {
  switch (i.event) {
    case Event.ManualStart: case Event.AutomaticStart: return { next: State.Established, reason: i.event, actions: [] };
    case Event.ManualStop: return stopped(i.event, true, true, i.notify);
    case Event.KeepAliveMsg: case Event.UpdateMsg: case Event.RouteRefreshMsg: return { next: State.Established, reason: i.event, actions: [A.hold] };
    case Event.KeepaliveTimerExpires: return { next: State.Established, reason: i.event, actions: [A.ka, A.kaTimer] };
    case Event.HoldTimerExpires: return fail(i.event, A.notify(4, 0), true);
    case Event.UpdateMsgErr: return fail(i.event, errNotify(i, 3, 0), true);
    case Event.BgpHeaderErr: return fail(i.event, errNotify(i, 1, 0), true);
    case Event.MaxPrefix: return fail(i.event, errNotify(i, 6, 1), true);
    case Event.OpenCollisionDump: return fail(i.event, cease(7), true);
    case Event.NotifMsg: case Event.TcpConnectionFails: return fail(i.event, null, true);
    // RFC 6608 §4: subcode 3 = unexpected message in Established (an OPEN)
    default: return fail(i.event, A.notify(5, 3), true);
  }
}

export const fsm = {
  [State.Idle]: idle,
  [State.Connect]: connect,
  [State.Active]: active,
  [State.OpenSent]: openSent,
  [State.OpenConfirm]: openConfirm,
  [State.Established]: established,
} satisfies Record<State, (i: FsmInput) => Transition>;

export function step(state: State, input: FsmInput): Transition {
  return fsm[state](input);
}
