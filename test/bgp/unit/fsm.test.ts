/** RFC 4271 §8.2.2 FSM transitions, state by state, plus RFC 6608 FSM error subcodes. */
import { describe, expect, it } from 'vitest';
import { Event, State, step, type Action } from '../../../src/bgp/fsm.js';

const go = (s: State, event: Event, passive = false, notify?: { code: number; subcode: number }) => step(s, notify ? { event, passive, notify } : { event, passive });
const did = (actions: Action[], what: Action['do']) => actions.some((a) => a.do === what);
const sent = (actions: Action[]) => actions.flatMap((a) => (a.do === 'send-notification' ? [[a.notify.code, a.notify.subcode]] : []));

describe('RFC 4271 §8.2.2 finite state machine', () => {
  it('Idle: ManualStart → Connect (initiate TCP, start ConnectRetry); passive → Active', () => {
    const t = go(State.Idle, Event.ManualStart);
    expect(t.next).toBe(State.Connect);
    expect(did(t.actions, 'connect') && did(t.actions, 'start-connect-retry')).toBe(true);
    const p = go(State.Idle, Event.ManualStart, true);
    expect(p.next).toBe(State.Active);
    expect(did(p.actions, 'connect')).toBe(false);
  });
  it('Idle ignores everything but start events', () => {
    for (const e of Object.values(Event)) if (e !== Event.ManualStart && e !== Event.AutomaticStart) expect(go(State.Idle, e).next).toBe(State.Idle);
  });
  it('Connect: TcpConnectionConfirmed → OpenSent, sends OPEN, large initial hold timer', () => {
    const t = go(State.Connect, Event.TcpConnectionConfirmed);
    expect(t.next).toBe(State.OpenSent);
    expect(t.actions).toContainEqual({ do: 'send-open' });
    expect(t.actions).toContainEqual({ do: 'start-hold', initial: true });
  });
  it('Connect: ConnectRetry expiry retries; TCP failure → Active', () => {
    expect(go(State.Connect, Event.ConnectRetryTimerExpires).actions).toContainEqual({ do: 'connect' });
    expect(go(State.Connect, Event.TcpConnectionFails).next).toBe(State.Active);
  });
  it('Active: ConnectRetry expiry → Connect (active peer) or stays Active (passive)', () => {
    expect(go(State.Active, Event.ConnectRetryTimerExpires).next).toBe(State.Connect);
    expect(go(State.Active, Event.ConnectRetryTimerExpires, true).next).toBe(State.Active);
  });
  it('OpenSent: valid OPEN → OpenConfirm, KEEPALIVE sent, negotiated hold timer', () => {
    const t = go(State.OpenSent, Event.BgpOpen);
    expect(t.next).toBe(State.OpenConfirm);
    expect(t.actions).toContainEqual({ do: 'send-keepalive' });
    expect(t.actions).toContainEqual({ do: 'start-hold', initial: false });
  });
  it('OpenSent: hold timer expiry → NOTIFICATION 4/0, Idle', () => {
    const t = go(State.OpenSent, Event.HoldTimerExpires);
    expect([t.next, sent(t.actions)]).toEqual([State.Idle, [[4, 0]]]);
  });
  it('OpenSent: OPEN error → the decoder\'s NOTIFICATION (e.g. 2/2 bad peer AS)', () => {
    expect(sent(go(State.OpenSent, Event.BgpOpenMsgErr, false, { code: 2, subcode: 2 }).actions)).toEqual([[2, 2]]);
  });
  it('RFC 6608 §4: unexpected KEEPALIVE in OpenSent → 5/1; UPDATE in OpenConfirm → 5/2; OPEN in Established → 5/3', () => {
    expect(sent(go(State.OpenSent, Event.KeepAliveMsg).actions)).toEqual([[5, 1]]);
    expect(sent(go(State.OpenConfirm, Event.UpdateMsg).actions)).toEqual([[5, 2]]);
    expect(sent(go(State.Established, Event.BgpOpen).actions)).toEqual([[5, 3]]);
  });
  it('OpenConfirm: KEEPALIVE → Established (session-up action); keepalive timer re-arms', () => {
    const t = go(State.OpenConfirm, Event.KeepAliveMsg);
    expect(t.next).toBe(State.Established);
    expect(t.actions).toContainEqual({ do: 'established' });
    expect(go(State.OpenConfirm, Event.KeepaliveTimerExpires).actions).toContainEqual({ do: 'send-keepalive' });
  });
  it('OpenConfirm/OpenSent: collision dump → Cease/7 (RFC 4271 §6.8, RFC 4486)', () => {
    expect(sent(go(State.OpenConfirm, Event.OpenCollisionDump).actions)).toEqual([[6, 7]]);
    expect(sent(go(State.OpenSent, Event.OpenCollisionDump).actions)).toEqual([[6, 7]]);
  });
  it('Established: UPDATE and KEEPALIVE restart the hold timer', () => {
    for (const e of [Event.UpdateMsg, Event.KeepAliveMsg]) {
      const t = go(State.Established, e);
      expect(t.next).toBe(State.Established);
      expect(t.actions).toContainEqual({ do: 'start-hold', initial: false });
    }
  });
  it('Established: hold timer expiry → 4/0, session down, automatic restart later', () => {
    const t = go(State.Established, Event.HoldTimerExpires);
    expect(sent(t.actions)).toEqual([[4, 0]]);
    expect(did(t.actions, 'session-down') && did(t.actions, 'auto-restart')).toBe(true);
  });
  it('Established: UPDATE error sends the decoder\'s code/subcode (e.g. 3/1)', () => {
    expect(sent(go(State.Established, Event.UpdateMsgErr, false, { code: 3, subcode: 1 }).actions)).toEqual([[3, 1]]);
  });
  it('Established: NOTIFICATION received → Idle without sending one', () => {
    const t = go(State.Established, Event.NotifMsg);
    expect([t.next, sent(t.actions), did(t.actions, 'session-down')]).toEqual([State.Idle, [], true]);
  });
  it('ManualStop from any state with an OPEN sent → Cease/2 administrative shutdown, no automatic restart', () => {
    for (const s of [State.OpenSent, State.OpenConfirm, State.Established]) {
      const t = go(s, Event.ManualStop);
      expect(sent(t.actions)).toEqual([[6, 2]]);
      expect(did(t.actions, 'auto-restart')).toBe(false);
    }
  });
  it('max-prefix in Established → Cease/1 (RFC 4486)', () => {
    expect(sent(go(State.Established, Event.MaxPrefix, false, { code: 6, subcode: 1 }).actions)).toEqual([[6, 1]]);
  });
  it('every (state, event) pair yields a state and a reason equal to the event', () => {
    for (const s of Object.values(State)) for (const e of Object.values(Event)) {
      const t = go(s, e);
      expect(Object.values(State)).toContain(t.next);
      expect(t.reason).toBe(e);
    }
  });
});
