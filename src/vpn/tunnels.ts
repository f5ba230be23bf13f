// Tunnel endpoints shared by the EVPN instances: one dataplane tunnel per
// (remote VTEP, VNI), created when the first route needs it (a type-3 flood
// membership or a type-2 MAC) and deleted when the last one lets go.  The id
// is the index of the egress handle the FDB entries and flood members hold.
export interface TunnelBackend {
  tunnelAdd(id: number, t: { remote: string; vni: number }): void;
  tunnelDel(id: number): void;
}

/** The egress handle of a tunnel, as FDB entries and flood members name it. */
export interface TunnelEgress {
  readonly kind: 'tunnel';
  readonly index: number;
}

interface Entry {
  id: number;
  refs: number;
  remote: string;
  vni: number;
  /** one handle per tunnel, shared by every entry written to it (an import writes thousands) */
  egress: TunnelEgress;
}

export class TunnelPool {
  // remote -> vni -> entry: found without building a key string per lookup
  // (every imported MAC takes a reference)
  private readonly byRemote = new Map<string, Map<number, Entry>>();
  private readonly free: number[] = [];
  private next = 1;

  constructor(private readonly dp: TunnelBackend) {}

  /** The tunnel to (remote, vni), created if needed; one more reference. */
  ref(remote: string, vni: number): number {
    return this.refEgress(remote, vni).index;
  }

  /** ref(), as the tunnel's egress handle. */
  refEgress(remote: string, vni: number): TunnelEgress {
    let byVni = this.byRemote.get(remote);
    if (!byVni) this.byRemote.set(remote, (byVni = new Map()));
    let e = byVni.get(vni);
    if (!e) {
      const id = this.free.pop() ?? this.next++;
      this.dp.tunnelAdd(id, { remote, vni });
      e = { id, refs: 0, remote, vni, egress: { kind: 'tunnel', index: id } };
      byVni.set(vni, e);
    }
    e.refs++;
    return e.egress;
  }

  /** One reference fewer to (remote, vni); the tunnel goes with the last. */
  unref(remote: string, vni: number): void {
    const byVni = this.byRemote.get(remote);
    const e = byVni?.get(vni);
    if (!e) return;
    if (--e.refs > 0) return;
    byVni!.delete(vni);
    if (!byVni!.size) this.byRemote.delete(remote);
    this.dp.tunnelDel(e.id);
    this.free.push(e.id);
  }
}
