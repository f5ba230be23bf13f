// The host side of the VRFs' host interfaces (host-interface.ts): after the
// reconciler has opened each one's TAP (a `vm` port of its VRF), this sets the
// TAP's MAC (the port's VM MAC), its addresses (noprefixroute: no connected
// route, every prefix goes via the switch) and its routes via 169.254.0.1
// (on-link) / fe80::1 in the configured table and metric, with ip(8) — the
// same netlink calls an operator would type, and errors an operator can read.
//
// Desired state: what was applied is remembered per interface; an apply
// changes only the difference, and redoes everything for an interface whose
// TAP was (re)opened by this reconcile (a new device has nothing).  Addresses
// and routes go away with a TAP we created; one that existed before has ours
// removed.  A command that fails leaves the interface marked as not applied,
// so the next apply (a reload) retries it; the error names the field.
import { execFileSync } from 'node:child_process';

import type { Logger } from '../util/logger.js';
import type { Config, HostInterfaceConfig } from './config.js';
import type { ApplySummary } from './reconcile.js';

/** Runs `ip ARGS`; throws with ip's message. */
export type IpRunner = (args: string[]) => void;

export const runIp: IpRunner = (args) => {
  try {
    execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`ip ${args.join(' ')}: ${err.stderr?.toString().trim() || err.message}`);
  }
};

export class HostSideError extends Error {
  constructor(readonly problems: { path: string; message: string }[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
}

interface Applied {
  vrf: string;
  h: HostInterfaceConfig;
  /** route commands' identities that are in place ("prefix table metric") */
  routes: Set<string>;
}

const af = (prefix: string) => (prefix.includes(':') ? '-6' : '-4');
const gateway = (prefix: string) => (prefix.includes(':') ? ['fe80::1'] : ['169.254.0.1']);

function routeArgs(verb: 'add' | 'del', h: HostInterfaceConfig, prefix: string): string[] {
  const args = [af(prefix), 'route', verb, prefix, 'via', ...gateway(prefix), 'dev', h.name];
  if (!prefix.includes(':')) args.push('onlink');
  if (h.table !== null) args.push('table', String(h.table));
  if (h.metric !== null) args.push('metric', String(h.metric));
  return args;
}
const routeKey = (h: HostInterfaceConfig, prefix: string) => `${prefix} ${h.table ?? 'main'} ${h.metric ?? '-'}`;

export class HostSide {
  private applied = new Map<string, Applied>();

  constructor(
    private readonly log: Logger,
    private readonly ip: IpRunner = runIp,
  ) {}

  /** Brings the host side of every host interface of `next` in line; `s` says which TAPs this reconcile (re)opened. */
  apply(next: Config, s: ApplySummary): void {
    const want = new Map(next.vrfs.flatMap((v) => (v.hostInterface ? [[v.hostInterface.name, { vrf: v.name, h: v.hostInterface }] as const] : [])));
    for (const [name, a] of this.applied) if (!want.has(name)) this.forget(a);
    const problems: { path: string; message: string }[] = [];
    for (const [name, { vrf, h }] of want) {
      const reopened = s.portsAdded.includes(name) || s.portsChanged.includes(name);
      const prev = this.applied.get(name);
      if (!reopened && prev && prev.vrf === vrf && JSON.stringify(prev.h) === JSON.stringify(h)) continue;
      try {
        this.configure(vrf, h, reopened ? undefined : prev);
      } catch (e) {
        problems.push({ path: `vrfs.${vrf}.host-interface`, message: (e as Error).message });
      }
    }
    if (problems.length) throw new HostSideError(problems);
  }

  private configure(vrf: string, h: HostInterfaceConfig, prev: Applied | undefined): void {
    const at: Applied = { vrf, h, routes: new Set() };
    this.applied.delete(h.name); // until it is all in place: a failure is retried by the next apply
    if (prev) {
      const wanted = new Set(h.routes.map((r) => routeKey(h, r)));
      for (const a of prev.h.addresses) if (!h.addresses.includes(a)) this.quiet(['addr', 'del', a, 'dev', h.name]);
      for (const r of prev.h.routes) if (!wanted.has(routeKey(prev.h, r))) this.quiet(routeArgs('del', prev.h, r));
    }
    this.ip(['link', 'set', 'dev', h.name, 'address', h.mac, 'up']);
    for (const a of h.addresses) this.ip([af(a), 'addr', 'replace', a, 'dev', h.name, 'noprefixroute', ...(a.includes(':') ? ['nodad'] : [])]);
    for (const r of h.routes) {
      const key = routeKey(h, r);
      if (!prev?.routes.has(key)) {
        this.quiet(routeArgs('del', h, r)); // ours from an earlier run of the same TAP, if any
        this.ip(routeArgs('add', h, r));
      }
      at.routes.add(key);
    }
    this.applied.set(h.name, at);
    this.log.info({ module: 'host-interface', vrf, name: h.name, addresses: h.addresses, routes: h.routes }, 'host interface configured');
  }

  /** A host interface removed from the config: its TAP went with its port if we created it; else undo ours. */
  private forget(a: Applied): void {
    this.applied.delete(a.h.name);
    for (const r of a.h.routes) this.quiet(routeArgs('del', a.h, r));
    for (const x of a.h.addresses) this.quiet(['addr', 'del', x, 'dev', a.h.name]);
    this.log.info({ module: 'host-interface', vrf: a.vrf, name: a.h.name }, 'host interface removed');
  }

  /** Best effort (the device or the entry may be gone already). */
  private quiet(args: string[]): void {
    try {
      this.ip(args);
    } catch {
      /* already gone */
    }
  }
}
