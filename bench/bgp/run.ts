/**
 * RIB ingestion benchmark: hvswitch, gobgpd and FRR bgpd each receive the
 * same pre-built UPDATE stream from gen/bgpblast.py (shared/anchors/bgp) in
 * the same run. One namespace per run (unique name), receiver at .1 inside,
 * bgpblast at .3 in the caller's namespace.
 *
 * Figures per run (method of shared/anchors/bgp/FINDINGS.md §2.1):
 *   t_all   = receiver has all N routes − injector's ESTABLISHED time
 *   routes/s = N / t_all; RSS B/route = (RSS after − RSS before) / N
 * hvswitch reports its own completion time (2 ms check after each batch);
 * gobgpd and FRR are polled every 0.1 s as in the anchors' bench.py, so their
 * t_all carries up to 0.1 s of polling granularity.
 *
 * Usage (root; build first: npx tsc -p bench/bgp/tsconfig.json):
 *   node build/bgp-bench/bench/bgp/run.js [--counts 100000,1000000] [--families ipv4,vpnv4]
 *        [--receivers hvswitch,hvswitch-fib,gobgp,frr,bird] (hvswitch-fib: VPNv4 into a VRF's FIB, bench/vpn/receiver-fib.mjs) [--reflect (FRR as RR, hvswitch its client)] [--per-update 0,1] [--out bench/bgp/results/ingest.jsonl]
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..', '..', '..');
const BLAST = process.env.BGPBLAST ?? resolve(repo, '..', 'shared', 'anchors', 'bgp', 'gen', 'bgpblast.py');
const arg = (k: string, d: string) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? process.argv[i + 1]! : d; };
const counts = arg('counts', '100000,1000000').split(',').map(Number);
const families = arg('families', 'ipv4,vpnv4').split(',');
const receivers = arg('receivers', 'hvswitch,gobgp,frr').split(',');
const perUpdates = arg('per-update', '0').split(',').map(Number);
const out = resolve(repo, arg('out', 'bench/bgp/results/ingest.jsonl'));
/** --reflect: the receiver is an RR (frr, gobgp or bird) and hvswitch is its client; t_all = hvswitch has all N */
const reflect = process.argv.includes('--reflect');
const cache = join(tmpdir(), 'hvbgp-bench-cache');
mkdirSync(cache, { recursive: true });
mkdirSync(dirname(out), { recursive: true });

const sh = (cmd: string, args: string[], allowFail = false): string => {
  try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }); } catch (e) { if (allowFail) return ''; throw e; }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssOf = (pid: number) => { const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8')); return m ? Number(m[1]) * 1024 : 0; };
const cpuOf = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) / 100; };

class Net {
  id = `${process.pid % 10000}${Math.floor(Math.random() * 900 + 100)}`;
  ns = `hvbench-${this.id}`;
  host = `hbb${this.id}h`;
  peer = `hbb${this.id}p`;
  n = 1 + (Number(this.id) % 250);
  rx = `10.253.${this.n}.1`;
  inj = `10.253.${this.n}.3`;
  client = `10.253.${this.n}.4`;
  dir = mkdtempSync(join(tmpdir(), `hvbench-${this.id}-`));
  pids: number[] = [];
  procs: ChildProcess[] = [];
  up() {
    sh('ip', ['netns', 'add', this.ns]);
    sh('ip', ['link', 'add', this.host, 'type', 'veth', 'peer', 'name', this.peer]);
    sh('ip', ['link', 'set', this.peer, 'netns', this.ns]);
    sh('ip', ['addr', 'add', `${this.inj}/24`, 'dev', this.host]);
    sh('ip', ['addr', 'add', `${this.client}/24`, 'dev', this.host]);
    sh('ip', ['link', 'set', this.host, 'up']);
    const x = (a: string[]) => sh('ip', ['netns', 'exec', this.ns, ...a]);
    x(['ip', 'addr', 'add', `${this.rx}/24`, 'dev', this.peer]); x(['ip', 'link', 'set', this.peer, 'up']); x(['ip', 'link', 'set', 'lo', 'up']);
    chmodSync(this.dir, 0o777);
  }
  down() {
    for (const p of this.pids) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
    for (const p of this.procs) if (p.exitCode === null && p.pid) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
    sh('ip', ['link', 'del', this.host], true);
    sh('ip', ['netns', 'del', this.ns], true);
    rmSync(this.dir, { recursive: true, force: true });
  }
  inNs(a: string[]) { return sh('ip', ['netns', 'exec', this.ns, ...a], true); }
}

interface Receiver { pid: number; ready(): Promise<void>; count(): number; doneAt?(): number | null; established?(): boolean; stop(): Promise<void>; extra?(): Record<string, unknown> }

/** hvswitch: its RIB only (receiver.ts), or `fib`: through the IP-VPN import into the VRF's FIB in the core (bench/vpn/receiver-fib.mjs). */
async function startHvswitch(net: Net, fam: string, n: number, fib = false): Promise<Receiver> {
  if (fib && fam !== 'vpnv4') throw new Error('hvswitch-fib: vpnv4 only (the IP-VPN import)');
  const js = fib ? resolve(repo, 'bench/vpn/receiver-fib.mjs') : join(here, 'receiver.js');
  const p = spawn('ip', ['netns', 'exec', net.ns, process.execPath, '--expose-gc', '--max-old-space-size=4096', js, '--listen', net.rx, '--peer', net.inj, '--count', String(n), '--family', fam], { stdio: ['ignore', 'pipe', 'inherit'] });
  net.procs.push(p);
  let buf = '', ready: (() => void) | null = null, done: string[] | null = null, rss0 = 0;
  p.stdout!.on('data', (d) => {
    buf += String(d);
    for (const line of buf.split('\n').slice(0, -1)) {
      const w = line.split(' ');
      if (w[0] === 'READY') { rss0 = Number(w[1]); ready?.(); }
      if (w[0] === 'DONE') done = w;
    }
    buf = buf.slice(buf.lastIndexOf('\n') + 1);
  });
  const readyP = new Promise<void>((r) => { ready = r; });
  await readyP;
  return {
    pid: p.pid!, ready: async () => {}, count: () => (done ? n : 0), doneAt: () => (done ? Number(done[1]) : null),
    stop: async () => { if (p.exitCode === null) await new Promise((r) => { p.once('exit', r); setTimeout(() => { p.kill('SIGKILL'); r(null); }, 3000); }); },
    extra: () => (done ? { rssBefore: rss0, rssAfter: Number(done[2]), cpuS: Number(done[3]) / 1e6, attrSets: Number(done[4]), ...(fib ? { fibRoutes: Number(done[5]) } : {}) } : {}),
  };
}

/** hvswitch as an RR client (reflection runs): connects to the RR from the client address. */
async function startHvswitchClient(net: Net, fam: string, n: number): Promise<Receiver> {
  const js = join(here, 'receiver.js');
  const p = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=4096', js, '--listen', net.client, '--peer', net.rx, '--count', String(n), '--family', fam, '--connect'], { stdio: ['ignore', 'pipe', 'inherit'] });
  net.procs.push(p);
  let buf = '', done: string[] | null = null, rss0 = 0, est = false;
  p.stdout!.on('data', (d) => {
    buf += String(d);
    for (const line of buf.split('\n').slice(0, -1)) {
      const w = line.split(' ');
      if (w[0] === 'READY') rss0 = Number(w[1]);
      if (w[0] === 'ESTABLISHED') est = true;
      if (w[0] === 'DONE') done = w;
    }
    buf = buf.slice(buf.lastIndexOf('\n') + 1);
  });
  return {
    pid: p.pid!, ready: async () => {}, count: () => (done ? n : 0), doneAt: () => (done ? Number(done[1]) : null), established: () => est,
    stop: async () => { if (p.exitCode === null) await new Promise((r) => { p.once('exit', r); setTimeout(() => { p.kill('SIGKILL'); r(null); }, 3000); }); },
    extra: () => (done ? { rssBefore: rss0, rssAfter: Number(done[2]), cpuS: Number(done[3]) / 1e6, attrSets: Number(done[4]) } : {}),
  };
}

async function startGobgp(net: Net, fam: string): Promise<Receiver> {
  const afs = fam === 'ipv4' ? 'ipv4-unicast' : 'l3vpn-ipv4-unicast';
  writeFileSync(join(net.dir, 'gobgpd.toml'), `[global.config]\n  as = 65000\n  router-id = "${net.rx}"\n  port = 179\n  local-address-list = ["${net.rx}"]\n[[neighbors]]\n  [neighbors.config]\n    neighbor-address = "${net.inj}"\n    peer-as = 65000\n  [neighbors.transport.config]\n    local-address = "${net.rx}"\n  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = "${afs}"\n`);
  const pidf = join(net.dir, 'gobgpd.pid');
  rmSync(pidf, { force: true });
  const p = spawn('ip', ['netns', 'exec', net.ns, 'sh', '-c', `echo $$ > ${pidf}; exec gobgpd -f ${join(net.dir, 'gobgpd.toml')} -t toml -p --api-hosts 127.0.0.1:50051 --pprof-disable -l warn`], { stdio: 'ignore' });
  net.procs.push(p);
  for (let i = 0; i < 100 && !net.inNs(['gobgp', 'global']); i++) await sleep(100);
  const pid = Number(readFileSync(pidf, 'utf8'));
  net.pids.push(pid);
  const a = fam === 'ipv4' ? 'ipv4' : 'vpnv4';
  return {
    pid, ready: async () => {},
    count: () => Number(/Path: (\d+)/.exec(net.inNs(['gobgp', 'global', 'rib', 'summary', '-a', a]))?.[1] ?? 0),
    stop: async () => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } await sleep(300); },
  };
}

async function startFrr(net: Net, fam: string): Promise<Receiver> {
  const af = fam === 'ipv4' ? 'ipv4 unicast' : 'ipv4 vpn';
  const cl = reflect ? ` neighbor ${net.client} remote-as 65000\n neighbor ${net.client} update-source ${net.rx}\n` : '';
  const clAf = reflect ? `  neighbor ${net.client} activate\n  neighbor ${net.client} route-reflector-client\n` : '';
  writeFileSync(join(net.dir, 'bgpd.conf'), `frr defaults traditional\nhostname bench\nrouter bgp 65000\n bgp router-id ${net.rx}\n no bgp default ipv4-unicast\n no bgp ebgp-requires-policy\n neighbor ${net.inj} remote-as 65000\n neighbor ${net.inj} update-source ${net.rx}\n${cl} address-family ${af}\n  neighbor ${net.inj} activate\n${clAf} exit-address-family\nexit\n`);
  const pidf = join(net.dir, 'bgpd.pid');
  net.inNs(['/usr/lib/frr/bgpd', '-d', '-S', '-Z', '-f', join(net.dir, 'bgpd.conf'), '-i', pidf, '--vty_socket', net.dir, '-P', '0', '-l', net.rx]);
  for (let i = 0; i < 100 && !(existsSync(pidf) && existsSync(join(net.dir, 'bgpd.vty'))); i++) await sleep(100);
  await sleep(300);
  const pid = Number(readFileSync(pidf, 'utf8'));
  net.pids.push(pid);
  return {
    pid, ready: async () => {},
    count: () => { try { return (JSON.parse(sh('vtysh', ['--vty_socket', net.dir, '-c', `show bgp ${af} summary json`], true)) as { peers: Record<string, { pfxRcd?: number }> }).peers[net.inj]?.pfxRcd ?? 0; } catch { return 0; } },
    stop: async () => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } await sleep(300); },
  };
}

async function startBird(net: Net, fam: string): Promise<Receiver> {
  const ch = fam === 'ipv4' ? 'ipv4 { import all; export none; };' : 'vpn4 mpls { table vpntab4; import all; export none; };';
  const chOut = reflect ? ch.replace('export none', 'export all') : ch;
  const cl = reflect ? `protocol bgp client {\n  local ${net.rx} as 65000;\n  neighbor ${net.client} as 65000;\n  direct;\n  rr client;\n  hold time 180;\n  ${chOut}\n}\n` : '';
  writeFileSync(join(net.dir, 'bird.conf'), `log "${join(net.dir, 'bird.log')}" { info, warning, error, fatal };\nrouter id ${net.rx};\nprotocol device { }\nvpn4 table vpntab4;\nprotocol bgp injector {\n  local ${net.rx} as 65000;\n  neighbor ${net.inj} as 65000;\n  direct;\n  hold time 180;\n  ${chOut}\n}\n${cl}`);
  const pidf = join(net.dir, 'bird.pid');
  const ctl = join(net.dir, 'bird.ctl');
  net.inNs(['bird', '-c', join(net.dir, 'bird.conf'), '-s', ctl, '-P', pidf]);
  for (let i = 0; i < 100 && !(existsSync(pidf) && readFileSync(pidf, 'utf8').trim()); i++) await sleep(100);
  const pid = Number(readFileSync(pidf, 'utf8'));
  net.pids.push(pid);
  return {
    pid, ready: async () => {},
    count: () => Number(/Routes:\s+(\d+) imported/.exec(sh('birdc', ['-s', ctl, 'show', 'protocols', 'all', 'injector'], true))?.[1] ?? 0),
    stop: async () => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } await sleep(300); },
  };
}

async function runOne(receiver: string, fam: string, n: number, perUpdate: number): Promise<Record<string, unknown>> {
  const net = new Net();
  net.up();
  try {
    if (reflect && receiver !== 'frr') throw new Error('--reflect is wired for FRR only');
    const rr = reflect ? await startFrr(net, fam) : null;
    const rx = reflect ? await startHvswitchClient(net, fam, n) : receiver === 'hvswitch' ? await startHvswitch(net, fam, n) : receiver === 'hvswitch-fib' ? await startHvswitch(net, fam, n, true) : receiver === 'gobgp' ? await startGobgp(net, fam) : receiver === 'bird' ? await startBird(net, fam) : await startFrr(net, fam);
    if (rr) { for (let i = 0; i < 300 && !rx.established?.(); i++) await sleep(100); }
    const ours = receiver === 'hvswitch' || receiver === 'hvswitch-fib' || reflect;
    const rss0 = ours ? 0 : rssOf(rx.pid);
    const cpu0 = ours ? 0 : cpuOf(rx.pid);
    const blast = spawn('python3', [BLAST, '--peer', net.rx, '--bind', net.inj, '--family', fam, '--count', String(n), '--per-update', String(perUpdate), '--linger', '600', '--cache-dir', cache], { stdio: ['ignore', 'pipe', 'inherit'] });
    net.procs.push(blast);
    let established = 0, blastExited = false;
    blast.stdout!.on('data', (d) => { const m = /ESTABLISHED (\d+\.\d+)/.exec(String(d)); if (m) established = Number(m[1]) * 1000; });
    blast.once('exit', () => { blastExited = true; });
    const deadline = Date.now() + 300_000;
    let tDone = 0;
    while (Date.now() < deadline) {
      const at = rx.doneAt?.();
      if (at) { tDone = at; break; }
      if (!ours && rx.count() >= n) { tDone = Date.now(); break; }
      if (blastExited) throw new Error(`${receiver} ${fam} ${n}: injector exited before the receiver had all routes`);
      await sleep(ours ? 20 : 100);
    }
    if (!tDone || !established) throw new Error(`${receiver} ${fam} ${n}: did not finish (established=${established})`);
    const tAll = (tDone - established) / 1000;
    let rssBefore = rss0, rssAfter: number, cpuS: number, extra: Record<string, unknown> = {};
    if (ours) {
      await sleep(100);
      extra = rx.extra!();
      rssBefore = extra.rssBefore as number; rssAfter = extra.rssAfter as number; cpuS = extra.cpuS as number;
    } else {
      // settle: wait until the receiver's CPU time stops moving (max 10 s), as t_quiet in bench.py
      let last = cpuOf(rx.pid);
      for (let i = 0; i < 100; i++) { await sleep(300); const c = cpuOf(rx.pid); if (c === last) break; last = c; }
      rssAfter = rssOf(rx.pid); cpuS = cpuOf(rx.pid) - cpu0;
    }
    blast.kill('SIGKILL');
    await rx.stop();
    await rr?.stop();
    const r = {
      receiver: reflect ? `${receiver}-rr->hvswitch` : receiver, family: fam, routes: n, nlriPerUpdate: perUpdate === 0 ? 'max' : perUpdate, tAllS: +tAll.toFixed(3),
      routesPerS: Math.round(n / tAll), cpuS: +cpuS.toFixed(2), cpuUsPerRoute: +((cpuS * 1e6) / n).toFixed(2),
      rssBeforeMB: +(rssBefore / 1048576).toFixed(1), rssAfterMB: +(rssAfter / 1048576).toFixed(1), rssPerRouteB: Math.round((rssAfter - rssBefore) / n),
      ...(extra.fibRoutes !== undefined ? { fibRoutes: extra.fibRoutes } : {}),
      node: process.version, date: new Date().toISOString(),
    };
    return r;
  } finally { net.down(); }
}

const rows: Array<Record<string, unknown>> = [];
for (const perUpdate of perUpdates) for (const fam of families) for (const n of counts) for (const rcv of receivers) {
  const r = await runOne(rcv, fam, n, perUpdate);
  rows.push(r);
  appendFileSync(out, `${JSON.stringify(r)}\n`);
  console.log(JSON.stringify(r));
}
console.log('\nreceiver   family  routes   NLRI/UPD  t_all s   routes/s    CPU µs/route  RSS B/route   vs hvswitch (time, RSS)');
for (const r of rows) {
  const base = rows.find((x) => x.receiver === 'hvswitch' && x.family === r.family && x.routes === r.routes && x.nlriPerUpdate === r.nlriPerUpdate);
  const ratio = base ? `${((r.tAllS as number) / (base.tAllS as number)).toFixed(1)}x, ${((r.rssPerRouteB as number) / Math.max(1, base.rssPerRouteB as number)).toFixed(1)}x` : '';
  console.log(`${String(r.receiver).padEnd(10)} ${String(r.family).padEnd(7)} ${String(r.routes).padStart(8)} ${String(r.nlriPerUpdate).padStart(8)} ${String(r.tAllS).padStart(8)} ${String(r.routesPerS).padStart(10)} ${String(r.cpuUsPerRoute).padStart(12)} ${String(r.rssPerRouteB).padStart(12)}   ${ratio}`);
}
