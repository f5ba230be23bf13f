// Tunnel endpoints shared by the EVPN instances: one dataplane tunnel per
// (remote VTEP, VNI), created when the first route needs it (a type-3 flood
// membership or a type-2 MAC) and deleted when the last one lets go.  The id
// is the index of the egress handle the FDB entries and flood members hold.
export interface TunnelBackend {
  tunnelAdd(id: number, t: { remote: string; vni: number }): void;
  tunnelDel(id: number): void;
}

interface Entry {
  id: number;
  refs: number;
  remote: string;
  vni: number;
}

export class TunnelPool {
  private readonly byKey = new Map<string, Entry>();
  private readonly free: number[] = [];
  private next = 1;

  constructor(private readonly dp: TunnelBackend) {}

  /** The tunnel to (remote, vni), created if needed; one more reference. */
  ref(remote: string, vni: number): number {
    const k = `${remote}/${vni}`;
    let e = this.byKey.get(k);
    if (!e) {
      const id = this.free.pop() ?? this.next++;
      this.dp.tunnelAdd(id, { remote, vni });
      e = { id, refs: 0, remote, vni };
      this.byKey.set(k, e);
    }
    e.refs++;
    return e.id;
  }

  /** One reference fewer to (remote, vni); the tunnel goes with the last. */
  unref(remote: string, vni: number): void {
    const k = `${remote}/${vni}`;
    const e = this.byKey.get(k);
    if (!e) return;
    if (--e.refs > 0) return;
    this.byKey.delete(k);
    this.dp.tunnelDel(e.id);
    this.free.push(e.id);
  }
}
