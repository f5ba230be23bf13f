// Same-run reference of the EVPN control-plane bench: FRR (bgpd + zebra, the
// frr-evpn anchor's VTEP: a kernel bridge with a kernel VXLAN device) receives
// the same N type-2 routes from the same source (sender.mjs) and installs them
// in the kernel bridge's FDB.  Measured as routes.mjs measures hvswitch: from
// the source's first UPDATE written to the N-th remote entry in the FDB (each
// seen as it lands, by fdbwatch.py on rtnetlink), and the RSS growth of bgpd +
// zebra per route (the kernel's own FDB entries are not counted: they are in
// neither process).  Everything runs in two namespaces created here (unique
// names, removed at the end, even on failure); only the daemons started here
// are stopped, by PID.  Root; Debian's frr package.
// Run after `npm run build`:  node bench/evpn/frr.mjs [N]  (JSON on stdout)
import { execFileSync, fork, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const N = Number(process.argv[2] ?? 10_000);
const VTEPS = 16;
const VNI = 10010;
const FRR = '/usr/lib/frr';
const id = `${process.pid.toString(36)}${Date.now().toString(36).slice(-3)}`;
const nsFrr = `hvbe-frr-${id}`, nsSrc = `hvbe-src-${id}`;
const dir = mkdtempSync(join(tmpdir(), 'hvbe-frr-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sh = (...a) => execFileSync(a[0], a.slice(1), { encoding: 'utf8' });
const inNs = (ns, ...a) => sh('ip', 'netns', 'exec', ns, ...a);
const pids = [];
const children = [];

async function until(what, cond, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

function topology() {
  sh('ip', 'netns', 'add', nsFrr);
  sh('ip', 'netns', 'add', nsSrc);
  sh('ip', 'link', 'add', `f${id}`, 'netns', nsFrr, 'type', 'veth', 'peer', 'name', `s${id}`, 'netns', nsSrc);
  for (const [ns, dev, addr] of [[nsFrr, `f${id}`, '10.77.0.1/24'], [nsSrc, `s${id}`, '10.77.0.2/24']]) {
    inNs(ns, 'ip', 'link', 'set', 'lo', 'up');
    inNs(ns, 'ip', 'addr', 'add', addr, 'dev', dev);
    inNs(ns, 'ip', 'link', 'set', dev, 'up');
  }
  // the remote VTEPs (198.51.100.0/24) resolve through the source: bgpd's
  // next-hop tracking imports a route only when its next hop resolves
  inNs(nsFrr, 'ip', 'route', 'add', '198.51.100.0/24', 'via', '10.77.0.2');
  inNs(nsFrr, 'ip', 'link', 'add', 'br100', 'type', 'bridge');
  inNs(nsFrr, 'ip', 'link', 'add', 'vx100', 'type', 'vxlan', 'id', String(VNI), 'local', '10.77.0.1', 'dstport', '4789', 'nolearning');
  inNs(nsFrr, 'ip', 'link', 'set', 'vx100', 'master', 'br100');
  inNs(nsFrr, 'ip', 'link', 'set', 'vx100', 'up');
  inNs(nsFrr, 'ip', 'link', 'set', 'br100', 'up');
}

async function startFrr() {
  writeFileSync(join(dir, 'zebra.conf'), 'hostname frr\n!\n');
  writeFileSync(join(dir, 'bgpd.conf'), [
    'hostname frr', 'router bgp 65000', ' bgp router-id 10.77.0.1', ' no bgp default ipv4-unicast',
    ' neighbor 10.77.0.2 remote-as 65000', ' address-family l2vpn evpn', '  neighbor 10.77.0.2 activate', '  advertise-all-vni',
    ' exit-address-family', '!', ''].join('\n'));
  sh('chown', '-R', 'frr:frr', dir);
  chmodSync(dir, 0o755);
  for (const [daemon, extra] of [['zebra', []], ['bgpd', ['-S']]]) {
    const pidFile = join(dir, `${daemon}.pid`);
    inNs(nsFrr, `${FRR}/${daemon}`, '-d', ...extra, '-f', join(dir, `${daemon}.conf`), '-i', pidFile, '-z', join(dir, 'zserv.api'), '--vty_socket', dir, '-P', '0');
    pids.push(await until(`${daemon} pid`, () => existsSync(pidFile) && Number(readFileSync(pidFile, 'utf8'))));
    await until(`${daemon} vty`, () => existsSync(join(dir, `${daemon}.vty`)));
  }
  await until('zebra to see VNI', () => sh('vtysh', '--vty_socket', dir, '-c', 'show evpn vni').includes(String(VNI)));
}

let cleaned = false;
function cleanup() {
  if (cleaned) return;
  cleaned = true;
  for (const c of children) try { c.kill(); } catch { /* gone */ }
  for (const pid of pids) try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
  for (const ns of [nsFrr, nsSrc]) try { sh('ip', 'netns', 'del', ns); } catch { /* not created */ }
  rmSync(dir, { recursive: true, force: true });
}

// a run stopped from outside (Ctrl-C, a timeout) still removes what it made
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { cleanup(); process.exit(130); });

try {
  topology();
  await startFrr();
  // every remote MAC the kernel FDB gets, as it lands (fdbwatch.py)
  const watch = spawn('ip', ['netns', 'exec', nsFrr, 'python3', new URL('./fdbwatch.py', import.meta.url).pathname, 'vx100', String(N), '198.51.100.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(watch);
  let ready = false, last = 0n, out = '';
  watch.stdout.setEncoding('utf8');
  watch.stdout.on('data', (d) => {
    out += d;
    if (out.includes('ready')) ready = true;
    const m = /done (\d+)/.exec(out);
    if (m) last = BigInt(m[1]);
  });
  await until('fdbwatch', () => ready);
  const rss0 = pids.reduce((s, p) => s + rssKiB(p), 0);
  const sender = fork(new URL('./sender.mjs', import.meta.url), ['10.77.0.1', '179', String(N), String(VTEPS)], { execPath: 'ip', execArgv: ['netns', 'exec', nsSrc, process.execPath] });
  children.push(sender);
  let first = 0n;
  sender.on('message', (m) => { if (m.firstUpdate) first = BigInt(m.firstUpdate); });
  await until(`${N} remote entries in the kernel FDB`, () => last > 0n, 600_000);
  const installed = Number(inNs(nsFrr, 'bridge', 'fdb', 'show', 'dev', 'vx100').split('\n').filter((l) => l.includes('dst 198.51.100.')).length);
  const rss1 = pids.reduce((s, p) => s + rssKiB(p), 0);
  const load = Number(last - first) / 1e9;
  console.log(JSON.stringify({
    reference: 'FRR 8.4 bgpd + zebra -> kernel bridge FDB (vxlan device)',
    routes: N,
    remoteVteps: VTEPS,
    kernelRemoteEntries: installed,
    loadSeconds: +load.toFixed(3),
    routesPerSecond: Math.round(N / load),
    bytesPerRemoteMac: { rss: Math.round(((rss1 - rss0) * 1024) / N) },
  }, null, 2));
  sender.send({ stop: true });
} finally {
  cleanup();
}
