// `hvswitch bgp neighbor [ADDR [adj-in|adj-out]] | add | del | reset`: the
// summary table and detail block of gobgp's `neighbor`, and the neighbor
// management verbs.
import type { Command } from 'commander';

import { familyEnum } from '../../../api/bgp-convert.js';
import type { BgpServiceClient } from '../../../api/gen/hvswitch/v1/BgpService.js';
import type { Peer__Output } from '../../../api/gen/hvswitch/v1/Peer.js';
import type { PeerConf } from '../../../api/gen/hvswitch/v1/PeerConf.js';
import { FAMILIES, MESSAGE_COUNTERS, type MessageCounterKey } from '../../../bgp/index.js';
import { call, list, UsageError, type CliContext } from '../../context.js';
import { table } from '../../format.js';
import { FAMILY_HELP, familyArg } from './family.js';
import { neighborJson, type NeighborJson, type SessionStateName } from './json.js';
import { showRib } from './rib.js';


/** gobgp's Up/Down: 00:01:02, 3d 04:05:06. */
export function upDown(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600), m = Math.floor((seconds % 3600) / 60), s = Math.floor(seconds % 60);
  const hms = [h, m, s].map((x) => String(x).padStart(2, '0')).join(':');
  return d ? `${d}d ${hms}` : hms;
}

/** gobgp's State column words (its summary table abbreviates; the detail block and --json do not). */
const STATE_WORDS: Record<SessionStateName, string> = {
  Unknown: 'Unknown', Idle: 'Idle', Connect: 'Connect', Active: 'Active', OpenSent: 'Sent', OpenConfirm: 'Confirm', Established: 'Establ',
};

export function renderNeighborSummary(ns: NeighborJson[]): string {
  const sum = (n: NeighborJson, k: 'received' | 'advertised') => Object.values(n.prefixes).reduce((s, x) => s + x[k], 0);
  // gobgp neighbor: "Peer AS Up/Down State |#Advertised Received Accepted",
  // the pipe first, the count right-aligned under "#Advertised"
  // (accepted = received: no import policy drops paths here)
  const w = Math.max('#Advertised'.length, ...ns.map((n) => String(sum(n, 'advertised')).length));
  return table(
    [
      { header: 'Peer' },
      { header: 'AS', align: 'right' },
      { header: 'Up/Down', align: 'right' },
      { header: 'State' },
      { header: '|#Advertised' },
      { header: 'Received', align: 'right' },
      { header: 'Accepted', align: 'right' },
    ],
    ns.map((n) => [
      n.address,
      n.peerAs,
      n.state === 'Established' ? upDown(n.uptimeSeconds) : 'never',
      STATE_WORDS[n.state] ?? n.state,
      `|${String(sum(n, 'advertised')).padStart(w)}`,
      sum(n, 'received'),
      sum(n, 'received'),
    ]),
    ' ',
  );
}

/** gobgp neighbor ADDR: the FRR-style detail block. */
export function renderNeighborDetail(n: NeighborJson): string {
  const L: string[] = [];
  L.push(`BGP neighbor is ${n.address}, remote AS ${n.peerAs}${n.description ? ` (${n.description})` : ''}`);
  L.push(`  BGP version 4, remote router ID ${n.remoteId ?? 'unknown'}`);
  L.push(`  BGP state = ${n.state}${n.state === 'Established' ? `, up for ${upDown(n.uptimeSeconds)}` : ''}`);
  L.push(`  Last state change reason: ${n.reason}`);
  // FRR's "Last reset <age>, due to <error>": the error is history, not the current state
  if (n.lastError) L.push(`  Last reset ${upDown(n.lastErrorAgeSeconds ?? 0)} ago, due to ${n.lastError}`);
  L.push(`  Flops = ${n.flaps}`);
  if (n.localAddress) L.push(`  Local address ${n.localAddress}`);
  if (n.holdTime !== null) L.push(`  Hold time is ${n.holdTime}, keepalive interval is ${n.keepalive} seconds`);
  const c = n.configured;
  L.push(`  Configured hold time is ${c.holdTime ?? 90}, keepalive interval is ${c.keepaliveInterval ?? 30} seconds${c.passive ? ', passive' : ''}${c.routeReflectorClient ? ', route-reflector client' : ''}`);
  if (c.vrf) {
    const comms = [...c.communities, ...c.largeCommunities];
    L.push(`  VRF ${c.vrf}: advertises ${c.advertise.join(', ')}${comms.length ? `, communities ${comms.join(' ')}` : ''}`);
  }
  L.push('  Neighbor capabilities:');
  L.push('    multiprotocol:');
  const negotiated = new Set(n.families);
  for (const f of c.families) L.push(`        ${FAMILIES.find((x) => x.name === f)?.afiSafiName ?? f}:\t${negotiated.has(f) ? 'advertised and received' : 'advertised'}`);
  const cap = n.capabilities;
  if (cap) {
    const yn = (b: boolean) => (b ? 'advertised and received' : 'advertised');
    L.push(`    route-refresh:\t${yn(cap.routeRefresh)}`);
    L.push(`    enhanced-route-refresh:\t${yn(cap.enhancedRouteRefresh)}`);
    L.push(`    4-octet-as:\t${yn(cap.fourOctetAs)}`);
    L.push(`    extended-message:\t${yn(cap.extendedMessage)}`);
    if (cap.addPathReceive.length || cap.addPathSend.length)
      L.push(`    add-path:\treceive ${cap.addPathReceive.join(',') || '-'}, send ${cap.addPathSend.join(',') || '-'}`);
  }
  const gr = n.gracefulRestart;
  L.push(`    graceful-restart:\t${gr.peerAdvertised ? `received (restart time ${gr.peerRestartTime}s, families ${gr.peerFamilies.join(',') || 'none'})` : 'advertised'}`);
  L.push(`  Graceful restart: stale routes ${gr.staleRoutes}`);
  L.push('  Message statistics:');
  L.push(`${''.padEnd(24)}${'Sent'.padStart(10)}${'Rcvd'.padStart(10)}`);
  // FRR's row order; the words are the counter table's
  const label = (k: MessageCounterKey) => MESSAGE_COUNTERS.find((c) => c.key === k)!.label;
  const order: MessageCounterKey[] = ['open', 'notification', 'update', 'keepalive', 'routeRefresh'];
  const rows: [string, string][] = [...order.map((k): [string, string] => [label(k), k]), ['Total', 'total']];
  for (const [label, k] of rows) L.push(`    ${`${label}:`.padEnd(20)}${String(n.messages.sent[k] ?? 0).padStart(10)}${String(n.messages.received[k] ?? 0).padStart(10)}`);
  L.push('  Route statistics:');
  for (const [f, p] of Object.entries(n.prefixes)) L.push(`    ${`${f}:`.padEnd(20)}advertised ${p.advertised}, received ${p.received}, accepted ${p.received}`);
  const u = n.updateErrors;
  L.push(`  RFC 7606: treat-as-withdraw ${u.treatAsWithdraw}, attribute-discard ${u.attributeDiscard}, ignored family ${u.ignoredFamily}`);
  return `${L.join('\n')}\n`;
}


export function addNeighborCommands(bgp: Command, x: CliContext): void {
  // `bgp neighbor [ADDR [adj-in|adj-out]]` is `bgp neighbor show ...` (the default
  // subcommand), so that -a belongs to show and add alike.
  const neighbor = x.sub(bgp, 'neighbor', 'BGP neighbors: show (default), add, del, reset');
  x.readOpts(x.sub(neighbor, 'show', 'summary table of the neighbors, the detail block of one, or its adj-in / adj-out (gobgp neighbor)', { isDefault: true }))
    .argument('[address]', 'one neighbor: its detail block')
    .argument('[table]', "adj-in | adj-out: the neighbor's table of one family (-a)")
    .option('-a, --family <family>', `with adj-in|adj-out: address family: ${FAMILY_HELP}`, 'ipv4')
    .action(async (addr: string | undefined, tableArg: string | undefined, o: { family: string; json?: boolean; quiet?: boolean }) => {
      if (tableArg !== undefined) {
        if (tableArg !== 'adj-in' && tableArg !== 'adj-out') throw new UsageError(`neighbor ${addr}: expected adj-in or adj-out, got '${tableArg}'`);
        return showRib(x, o.family, tableArg, addr, o);
      }
      const peers = (await list<BgpServiceClient, object, { peer: Peer__Output }>(x.bgp(), 'ListPeer', { address: addr ?? '' })).map((r) => neighborJson(r.peer));
      if (o.quiet) return x.out(peers.map((p) => `${p.address}\n`).join(''));
      if (addr) {
        if (o.json) return x.json(peers[0]);
        return x.out(renderNeighborDetail(peers[0]!));
      }
      if (o.json) return x.json(peers);
      x.out(renderNeighborSummary(peers));
    });
  x.sub(neighbor, 'add', 'add a neighbor (config bgp.neighbors; written to the config file unless hvswitchd runs with --no-persist)')
    .argument('<address>', 'the neighbor address')
    .requiredOption('--as <asn>', 'its AS number')
    .option('-a, --family <family...>', `address families (default ipv4): ${FAMILY_HELP}`)
    .option('--passive', 'wait for the neighbor to connect')
    .option('--port <port>', 'its TCP port (default 179)')
    .option('--local-address <ip>', 'our source address')
    .option('--hold-time <s>', 'hold time (default 90)')
    .option('--keepalive <s>', 'keepalive interval (default 30)')
    .option('--connect-retry <s>', 'ConnectRetry timer (default 5)')
    .option('--route-reflector-client', 'reflect routes to it (RFC 4456)')
    .option('--max-prefix <n>', 'most routes it may send')
    .option('--description <text>')
    .option('--vrf <name>', 'pure L3: bind the neighbor to this VRF (its plain unicast routes, both ways)')
    .option('--community <c...>', 'with --vrf: communities on every route sent (ASN:VALUE or a well-known name)')
    .option('--large-community <c...>', 'with --vrf: large communities (GA:LD1:LD2)')
    .option('--advertise <what...>', 'with --vrf: what of the VRF is sent: vm (default), connected, static')
    .action(async (addr: string, o: { as: string; family?: string[]; passive?: boolean; port?: string; localAddress?: string; holdTime?: string; keepalive?: string; connectRetry?: string; routeReflectorClient?: boolean; maxPrefix?: string; description?: string; vrf?: string; community?: string[]; largeCommunity?: string[]; advertise?: string[] }) => {
      const num = (name: string, v: string | undefined) => {
        if (v === undefined) return 0;
        if (!/^\d+$/.test(v)) throw new UsageError(`${name}: '${v}' is not a number`);
        return Number(v);
      };
      const families = (o.family ?? []).flatMap((f) => f.split(',')).map((f) => {
        return familyEnum(familyArg(f));
      });
      const asn = num('--as', o.as);
      if (asn < 1 || asn > 0xffffffff) throw new UsageError(`--as: ${o.as} is not an AS number (1-4294967295)`);
      const peer: PeerConf = {
        neighborAddress: addr, peerAs: asn, families, passive: !!o.passive, port: num('--port', o.port),
        localAddress: o.localAddress ?? '', holdTime: num('--hold-time', o.holdTime), keepaliveInterval: num('--keepalive', o.keepalive),
        connectRetry: num('--connect-retry', o.connectRetry), routeReflectorClient: !!o.routeReflectorClient, maxPrefix: num('--max-prefix', o.maxPrefix),
        description: o.description ?? '',
        vrf: o.vrf ?? '',
        communities: (o.community ?? []).flatMap((c) => c.split(',')),
        largeCommunities: (o.largeCommunity ?? []).flatMap((c) => c.split(',')),
        advertise: (o.advertise ?? []).flatMap((c) => c.split(',')),
      };
      await call(x.bgp(), 'AddPeer', { peer });
    });
  x.sub(neighbor, 'del', 'delete a neighbor (its session ends, its routes leave the RIB)')
    .argument('<address>')
    .action(async (addr: string) => {
      await call(x.bgp(), 'DeletePeer', { address: addr });
    });
  x.sub(neighbor, 'reset', 'reset a session, or with --soft ask the neighbor to resend its routes (ROUTE-REFRESH)')
    .argument('<address>')
    .option('--soft', 'route refresh instead of a session reset')
    .option('-a, --family <family>', 'with --soft: only this family (default: every negotiated one)')
    .action(async (addr: string, o: { soft?: boolean; family?: string }) => {
      let family = familyEnum('ipv4');
      if (o.family !== undefined) {
        if (!o.soft) throw new UsageError('neighbor reset: -a goes with --soft');
        family = familyEnum(familyArg(o.family));
      }
      await call(x.bgp(), 'ResetPeer', { address: addr, soft: !!o.soft, family: o.family !== undefined ? family : 'BGP_FAMILY_UNSPECIFIED' });
    });
}
