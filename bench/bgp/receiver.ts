/**
 * hvswitch as the receiver of the ingestion benchmark: a BgpSpeaker with one
 * passive iBGP neighbor (the injector). Prints `READY <rss>` once listening,
 * then `DONE <epoch ms> <rss> <cpu µs>` when the Loc-RIB holds --count routes.
 * Run inside the benchmark namespace by run.ts.
 */
import { BgpSpeaker } from '../../src/bgp/speaker.js';
import { familyByName, type FamilyName } from '../../src/bgp/codec/family.js';

const arg = (k: string, d?: string) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? process.argv[i + 1]! : d!; };
const listen = arg('listen'), peer = arg('peer'), count = Number(arg('count')), family = arg('family', 'ipv4') as FamilyName;
const gc = (globalThis as { gc?: () => void }).gc;

// --connect: hvswitch is an RR client that connects to the peer from --listen (reflection runs)
const active = process.argv.includes('--connect');
const sp = new BgpSpeaker({ asn: 65000, routerId: listen, listenAddress: listen, listenPort: active ? false : 179 });
await sp.start();
sp.addNeighbor({ address: peer, peerAs: 65000, passive: !active, families: [family], holdTime: 180, keepaliveInterval: 60, connectRetry: 1, ...(active ? { localAddress: listen } : {}) });
gc?.(); gc?.();
const cpu0 = process.cpuUsage();
console.log(`READY ${process.memoryUsage().rss}`);
sp.on('neighbor', (e: { to: string }) => { if (e.to === 'established') console.log('ESTABLISHED'); });
const loc = sp.rib.loc[familyByName(family).id]!;
const timer = setInterval(() => {
  if (loc.count < count) return;
  const t = Date.now();
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  gc?.(); gc?.();
  console.log(`DONE ${t} ${process.memoryUsage().rss} ${cpu.user + cpu.system} ${sp.rib.attrs.size}`);
  setTimeout(() => { void sp.stop().then(() => process.exit(0)); }, 200);
}, 2);
