/**
 * Run-to-completion event handling for a set of protocol state machines
 * (a LACP bond, `lacp/bond.ts`; a spanning tree bridge, `stp/bridge.ts`).
 *
 * IEEE 802.1AX and 802.1D describe machines that all evaluate their global
 * conditions continuously; here each event (a PDU received, a timer, a link
 * change, a configuration change) is applied, then `settle` steps the
 * machines until none moves (transmission last, so one event sends one PDU
 * carrying the settled state). An event raised while the machines run — a
 * peer wired back to back answering synchronously, a hook calling back — is
 * queued and applied after the current one settles, never re-entered.
 * `settled` runs once the queue is empty.
 */
export class MachineEvents {
  private running = false;
  private readonly inbox: Array<() => void> = [];

  constructor(private readonly settle: () => void, private readonly settled?: () => void) {}

  /** Apply `change` and settle the machines (later, if they are running now). */
  push(change: () => void): void {
    this.inbox.push(change);
    if (this.running) return;
    this.running = true;
    try {
      while (this.inbox.length > 0) {
        this.inbox.shift()!();
        this.settle();
      }
    } finally {
      this.running = false;
    }
    this.settled?.();
  }
}
