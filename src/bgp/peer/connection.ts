/**
 * One TCP connection of a neighbor, with its message reader, and the RFC 4271
 * §6.8 rule that decides a connection collision.
 *
 * A peer has at most one connection driving the FSM and, during a collision,
 * one candidate (an incoming connection that arrived in Connect, OpenSent or
 * OpenConfirm). `closed` marks a connection we are done with, so late socket
 * events on it are ignored; `close` ends it politely (FIN, then destroy after
 * 1 s so a NOTIFICATION just written can leave), `abort` at once.
 */
import type net from 'node:net';
import { MessageReader } from '../codec/message/index.js';
import type { OpenMessage } from '../codec/message/open.js';

export class Conn {
  readonly reader = new MessageReader();
  open: OpenMessage | undefined;
  closed = false;
  constructor(readonly socket: net.Socket, readonly outgoing: boolean) {}
  write(b: Buffer): void { if (!this.closed) this.socket.write(b); }
  close(): void { if (!this.closed) { this.closed = true; this.socket.end(); setTimeout(() => this.socket.destroy(), 1000).unref(); } }
  abort(): void { this.closed = true; this.socket.destroy(); }
}

/**
 * RFC 4271 §6.8: does the incoming candidate connection (whose OPEN carried
 * `remoteId`) survive? The connection initiated by the speaker with the lower
 * BGP Identifier is closed. Without a competing connection that got as far as
 * OPEN (`primaryOpen`: the FSM is in OpenSent or OpenConfirm) the candidate
 * wins.
 */
export function incomingWins(routerId: string, remoteId: string, primary: Conn | null, primaryOpen: boolean): boolean {
  const localLower = ipNum(routerId) < ipNum(remoteId);
  return !primary || !primaryOpen || localLower === primary.outgoing;
}

function ipNum(s: string): number { const p = s.split('.').map(Number); return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0; }
