// The measurements of the worker polling modes (docs/polling.md): what a
// mode buys in latency and what it costs in CPU.
//
// lat-load  ping (as in `lat`) while a paced 64 B stream crosses the switch in
//           the same direction: bench/gen/hvgen.c at --load-pps (default
//           100,000 frames/s, it sleeps between batches so ping gets the CPU),
//           both pinned to the generator CPU.  The stream keeps a polling
//           worker busy, so this is the latency a VM's RPC sees beside a
//           neighbour's bulk traffic.
// idle      CPU seconds of the device's processes over --idle-duration seconds
//           (default 5) with no traffic at all, right after the other tests:
//           what a mode costs a hypervisor whose VMs are quiet.  The bridge
//           has no process: 0 by construction, not measured.
// tcp-nooff iperf3 as `tcp`, with checksum/segmentation offloads off on every
//           interface of the path (ethtool -K tx/sg/tso/gso/gro off on the
//           hosts' interfaces and the switch's veth ends): 1500 B frames, one
//           per segment, as many VMs send them.
import { openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { measureLat, measureTcp } from './measure.mjs';
import { trafficDst } from './l3.mjs';
import { nsRun, procCpu, sleep, start, stop } from './sys.mjs';
import { SINK_IP } from './topo.mjs';

export async function measureLatLoad(ctx) {
  const { topo, scen, opts, dir, gen } = ctx;
  if (!gen) return { error: 'lat-load needs hvgen (HVGEN, built by bench/run.sh)' };
  const dstMac = scen.l3 ? topo.gwMac : topo.dstMac;
  const seconds = opts.pings * 0.01 + 3;
  const args = ['netns', 'exec', topo.src, gen, '-i', topo.hostIf.src, '-d', dstMac, '-s', topo.srcMac,
    '-S', topo.ip.src, '-D', scen.l3 ? trafficDst(scen).ip : SINK_IP(scen.vlan), '-l', '64',
    '-r', String(opts.loadPps), '-t', String(seconds), '-c', String(opts.genCpu)];
  if (scen.vlan) args.push('-v', String(scen.vlan));
  const g = start('ip', args, { captureStdout: true, log: openSync(path.join(dir, `gen-${ctx.tag}.log`), 'a') });
  await sleep(1000); // the stream runs, the worker is busy
  const before = topo.counters().dst.rx_packets;
  const r = measureLat({ ...ctx, tag: ctx.tag });
  const delivered = topo.counters().dst.rx_packets - before;
  const gr = await Promise.race([g.done, sleep((seconds + 5) * 1000).then(() => null)]);
  if (!gr) await stop(g);
  const out = {};
  for (const [k, v] of Object.entries(r)) out[k.replace(/^lat_/, 'latload_')] = v;
  out.latload_stream_kpps = delivered / (opts.pings * 0.01) / 1000; // roughly: the ping window
  return out;
}

export async function measureIdle({ dut, opts }) {
  if (!dut.pids.length) return { idle_cpu_s: null };
  await sleep(1000); // the last test's traffic is over; an adaptive worker's budget long spent
  const a = procCpu(dut.pids);
  const t0 = process.hrtime.bigint();
  await sleep(opts.idleDuration * 1000);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = procCpu(dut.pids) - a;
  return { idle_cpu_s: cpu, idle_cores: cpu / s };
}

/** The path's interfaces, as [namespace, interface]: hosts' and (veth) the switch's ends. */
function pathInterfaces(topo) {
  const ends = [[topo.src, topo.hostIf.src], [topo.dst, topo.hostIf.dst]];
  if (topo.link === 'veth') for (const p of ['sw0', 'sw1']) ends.push([topo.portNs(p), p]);
  return ends;
}

function setOffloads(topo, on) {
  const v = on ? 'on' : 'off';
  for (const [ns, dev] of pathInterfaces(topo))
    nsRun(ns, 'ethtool', ['-K', dev, 'tx', v, 'sg', v, 'tso', v, 'gso', v, 'gro', 'off'], { allowFail: true });
}

export async function measureTcpNoOffload(ctx) {
  setOffloads(ctx.topo, false);
  const k = pathInterfaces(ctx.topo).map(([ns, dev]) => `${ns} ${dev}\n${nsRun(ns, 'ethtool', ['-k', dev], { allowFail: true }) ?? ''}`);
  writeFileSync(path.join(ctx.dir, 'ethtool-nooff.txt'), k.join('\n'));
  try {
    const r = await measureTcp(ctx);
    const out = {};
    for (const [key, v] of Object.entries(r)) out[key.replace(/^tcp_/, 'tcpnooff_')] = v;
    return out;
  } finally {
    setOffloads(ctx.topo, true);
  }
}
