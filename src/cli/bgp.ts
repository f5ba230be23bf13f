// `hvswitch bgp ...`: the BGP subtree of the CLI, in gobgp's words.
//
//   hvswitch bgp neighbor [ADDR]                     summary table | detail block (gobgp neighbor [ADDR])
//   hvswitch bgp neighbor ADDR adj-in|adj-out [-a FAMILY]   (gobgp neighbor ADDR adj-in)
//   hvswitch bgp neighbor add ADDR --as N [-a FAMILY...] [--passive] ...
//   hvswitch bgp neighbor del ADDR
//   hvswitch bgp neighbor reset ADDR [--soft [-a FAMILY]]
//   hvswitch bgp rib [-a FAMILY] [--table adj-in|adj-out --neighbor ADDR]
//   hvswitch bgp rib add|del -a FAMILY WORDS... [--rd RD --label N --rt RT --nexthop IP ...]
//
// Route words are GoBGP's (`gobgp global rib add -a evpn macadv MAC IP etag 0
// label 10100 rd 65000:1 rt 65000:100 encap vxlan`, parsed by src/bgp's
// parseRouteArgs); every keyword is also an option (`--rd 65000:1`), so both
// habits work.  The parsed route is sent as a typed AddPath/DeletePath (the
// CLI is a client of the API).  Reads have a table, --json and -q.
import { Option, type Command } from 'commander';

import { parseRouteArgs, RouteArgsError } from '../bgp/index.js';
import { asPathText, attrsMessage, attrsText, familyEnum, familyOfEnum, familyOfName, labelsText, nlriMessage } from '../api/bgp-convert.js';
import { call, list } from '../api/client.js';
import type { BgpServiceClient } from '../api/gen/hvswitch/v1/BgpService.js';
import type { Nlri__Output } from '../api/gen/hvswitch/v1/Nlri.js';
import type { PathAttributes__Output } from '../api/gen/hvswitch/v1/PathAttributes.js';
import type { Path__Output } from '../api/gen/hvswitch/v1/Path.js';
import type { Peer__Output } from '../api/gen/hvswitch/v1/Peer.js';
import type { PeerConf } from '../api/gen/hvswitch/v1/PeerConf.js';
import { FAMILIES } from '../bgp/index.js';
import { table } from './format.js';

export interface BgpCliContext {
  sub(parent: Command, name: string, desc: string, opts?: { isDefault?: boolean }): Command;
  readOpts(c: Command): Command;
  out(text: string): void;
  json(v: unknown): void;
  client(): BgpServiceClient;
  usage(message: string): Error;
}

const FAMILY_HELP = FAMILIES.map((f) => f.name).join(' | ');

// ---- JSON shapes (--json) ----

const lower = (e: string, prefix: string) => e.slice(prefix.length).toLowerCase();
const famName = (e: Parameters<typeof familyOfEnum>[0]) => familyOfEnum(e) ?? String(e);

export interface NeighborJson {
  address: string;
  peerAs: number;
  description: string | null;
  state: string; // idle | connect | active | opensent | openconfirm | established
  reason: string; // the FSM event of the last change (hold-timer-expires, ...)
  lastError: string | null;
  uptimeSeconds: number;
  flaps: number;
  remoteId: string | null;
  localAddress: string | null;
  holdTime: number | null;
  keepalive: number | null;
  families: string[];
  configured: { families: string[]; passive: boolean; holdTime: number | null; keepaliveInterval: number | null; port: number; localAddress: string | null; routeReflectorClient: boolean };
  messages: { received: Record<string, number>; sent: Record<string, number> };
  prefixes: Record<string, { received: number; advertised: number }>;
  capabilities: { fourOctetAs: boolean; routeRefresh: boolean; enhancedRouteRefresh: boolean; extendedMessage: boolean; addPathReceive: string[]; addPathSend: string[] } | null;
  gracefulRestart: { peerAdvertised: boolean; peerRestartTime: number; peerFamilies: string[]; staleRoutes: number };
  updateErrors: { treatAsWithdraw: number; attributeDiscard: number; ignoredFamily: number };
}

export function neighborJson(p: Peer__Output): NeighborJson {
  const c = p.conf!;
  const s = p.state!;
  const msgs = (m: typeof s.received) => ({ open: m!.open, update: m!.update, notification: m!.notification, keepalive: m!.keepalive, routeRefresh: m!.routeRefresh, total: m!.total });
  return {
    address: c.neighborAddress,
    peerAs: c.peerAs,
    description: c.description || null,
    state: lower(s.sessionState, 'SESSION_STATE_'),
    reason: lower(s.reason, 'FSM_EVENT_').replace(/_/g, '-'),
    lastError: s.lastError || null,
    uptimeSeconds: s.uptimeSeconds,
    flaps: s.flaps,
    remoteId: s.remoteId || null,
    localAddress: s.localAddress || null,
    holdTime: s.sessionState === 'SESSION_STATE_ESTABLISHED' ? s.holdTime : null,
    keepalive: s.sessionState === 'SESSION_STATE_ESTABLISHED' ? s.keepalive : null,
    families: s.families.map(famName),
    configured: {
      families: c.families.map(famName),
      passive: c.passive,
      holdTime: c.holdTime || null,
      keepaliveInterval: c.keepaliveInterval || null,
      port: c.port,
      localAddress: c.localAddress || null,
      routeReflectorClient: c.routeReflectorClient,
    },
    messages: { received: msgs(s.received), sent: msgs(s.sent) },
    prefixes: Object.fromEntries(s.prefixes.map((x) => [famName(x.family), { received: x.received, advertised: x.advertised }])),
    capabilities: s.capabilities
      ? { ...s.capabilities, addPathReceive: s.capabilities.addPathReceive.map(famName), addPathSend: s.capabilities.addPathSend.map(famName) }
      : null,
    gracefulRestart: { ...s.gracefulRestart!, peerFamilies: s.gracefulRestart!.peerFamilies.map(famName) },
    updateErrors: { ...s.updateErrors! },
  };
}

const ORIGIN_WORDS: Record<string, string> = { ORIGIN_IGP: 'igp', ORIGIN_EGP: 'egp', ORIGIN_INCOMPLETE: 'incomplete' };
const SEGMENT_WORDS: Record<string, string> = {
  AS_SEGMENT_TYPE_SET: 'set',
  AS_SEGMENT_TYPE_SEQUENCE: 'seq',
  AS_SEGMENT_TYPE_CONFED_SEQUENCE: 'confed-seq',
  AS_SEGMENT_TYPE_CONFED_SET: 'confed-set',
};

function attrsJson(a: PathAttributes__Output): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (ORIGIN_WORDS[a.origin]) out.origin = ORIGIN_WORDS[a.origin];
  out.asPath = a.asPath.map((s) => ({ type: SEGMENT_WORDS[s.type] ?? s.type, asns: s.asns }));
  if (a.med !== undefined && a.med !== null) out.med = a.med;
  if (a.localPref !== undefined && a.localPref !== null) out.localPref = a.localPref;
  if (a.atomicAggregate) out.atomicAggregate = true;
  if (a.aggregator) out.aggregator = { as: a.aggregator.asn, address: a.aggregator.address };
  if (a.communities.length) out.communities = a.communities;
  if (a.originatorId) out.originatorId = a.originatorId;
  if (a.clusterList.length) out.clusterList = a.clusterList;
  if (a.extCommunities.length) out.extCommunities = a.extCommunities;
  if (a.largeCommunities.length) out.largeCommunities = a.largeCommunities;
  if (a.pmsiTunnel) out.pmsiTunnel = { ...a.pmsiTunnel };
  if (a.unknown.length) out.unknown = a.unknown.map((x) => ({ code: x.code, flags: x.flags, value: Buffer.from(x.value).toString('hex') }));
  return out;
}

/** The NLRI's own fields, with an EVPN `routeType` (as the speaker's route objects). */
function nlriJson(n: Nlri__Output): Record<string, unknown> {
  const type: Record<string, number> = { evpnEthernetAd: 1, evpnMacIp: 2, evpnMulticast: 3, evpnEthernetSegment: 4, evpnIpPrefix: 5 };
  const body = { ...(n[n.route as keyof Nlri__Output] as object) } as Record<string, unknown>;
  if (n.route === 'evpnMacIp' && body.ip === '') body.ip = null;
  if (n.route === 'evpnOpaque') body.value = Buffer.from(body.value as Uint8Array).toString('hex');
  return n.route && type[n.route] ? { routeType: type[n.route], ...body } : body;
}

export interface PathJson {
  family: string;
  network: string;
  nlri: Record<string, unknown>;
  nextHop: string;
  source: string;
  best: boolean;
  stale: boolean;
  pathId: number;
  attributes: Record<string, unknown>;
}

export function pathJson(p: Path__Output): PathJson {
  const a = p.attributes!;
  return {
    family: famName(p.family),
    network: p.key,
    nlri: nlriJson(p.nlri!),
    nextHop: a.nextHop,
    source: p.source,
    best: p.best,
    stale: p.stale,
    pathId: p.pathId,
    attributes: attrsJson(a),
  };
}

// ---- text ----

/** gobgp's Up/Down: 00:01:02, 3d 04:05:06. */
export function upDown(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600), m = Math.floor((seconds % 3600) / 60), s = Math.floor(seconds % 60);
  const hms = [h, m, s].map((x) => String(x).padStart(2, '0')).join(':');
  return d ? `${d}d ${hms}` : hms;
}

/** gobgp's State column words. */
const STATE_WORDS: Record<string, string> = {
  idle: 'Idle', connect: 'Connect', active: 'Active', opensent: 'Sent', openconfirm: 'Confirm', established: 'Establ',
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
      n.state === 'established' ? upDown(n.uptimeSeconds) : 'never',
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
  L.push(`  BGP state = ${n.state}${n.state === 'established' ? `, up for ${upDown(n.uptimeSeconds)}` : ''}`);
  L.push(`  Last state change reason: ${n.reason}${n.lastError ? `; last error: ${n.lastError}` : ''}`);
  L.push(`  Flops = ${n.flaps}`);
  if (n.localAddress) L.push(`  Local address ${n.localAddress}`);
  if (n.holdTime !== null) L.push(`  Hold time is ${n.holdTime}, keepalive interval is ${n.keepalive} seconds`);
  const c = n.configured;
  L.push(`  Configured hold time is ${c.holdTime ?? 90}, keepalive interval is ${c.keepaliveInterval ?? 30} seconds${c.passive ? ', passive' : ''}${c.routeReflectorClient ? ', route-reflector client' : ''}`);
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
  const rows: [string, string][] = [['Opens', 'open'], ['Notifications', 'notification'], ['Updates', 'update'], ['Keepalives', 'keepalive'], ['Route Refresh', 'routeRefresh'], ['Total', 'total']];
  for (const [label, k] of rows) L.push(`    ${`${label}:`.padEnd(20)}${String(n.messages.sent[k] ?? 0).padStart(10)}${String(n.messages.received[k] ?? 0).padStart(10)}`);
  L.push('  Route statistics:');
  for (const [f, p] of Object.entries(n.prefixes)) L.push(`    ${`${f}:`.padEnd(20)}advertised ${p.advertised}, received ${p.received}, accepted ${p.received}`);
  const u = n.updateErrors;
  L.push(`  RFC 7606: treat-as-withdraw ${u.treatAsWithdraw}, attribute-discard ${u.attributeDiscard}, ignored family ${u.ignoredFamily}`);
  return `${L.join('\n')}\n`;
}

/** gobgp global rib: `*>` markers, Network [Labels] Next Hop AS_PATH Attrs. */
export function renderRib(paths: Path__Output[], family: string): string {
  const labelled = family === 'vpnv4' || family === 'vpnv6' || family === 'evpn';
  const cols = [{ header: '' }, { header: 'Network' }, ...(labelled ? [{ header: 'Labels' }] : []), { header: 'Next Hop' }, { header: 'AS_PATH' }, { header: 'Attrs' }];
  return table(
    cols,
    paths.map((p) => [
      `${p.stale ? 'S' : '*'}${p.best ? '>' : ' '}`,
      p.key,
      ...(labelled ? [labelsText(p.nlri!)] : []),
      p.attributes!.nextHop,
      asPathText(p.attributes!),
      attrsText(p.attributes!),
    ]),
  );
}

// ---- commands ----

interface RouteOpts {
  family: string;
  rd?: string;
  label?: string;
  rt?: string[];
  nexthop?: string;
  etag?: string;
  esi?: string;
  encap?: string;
  routerMac?: string;
  gw?: string;
  med?: string;
  localPref?: string;
  community?: string;
  largeCommunity?: string;
  origin?: string;
  aspath?: string;
  pmsi?: string;
}

const collect = (v: string, prev: string[] | undefined) => [...(prev ?? []), ...v.split(',').filter(Boolean)];

function routeOptions(c: Command): Command {
  return c
    .addOption(new Option('-a, --family <family>', `address family: ${FAMILY_HELP}`).makeOptionMandatory())
    .option('--rd <rd>', 'route distinguisher: 65000:1, 10.0.0.1:5, 4200000000:1')
    .option('--label <n>', 'MPLS label (vpnv4/vpnv6); EVPN: the label field (the VNI for VXLAN), L2[,L3]')
    .option('--rt <rt>', 'route target (repeat or comma-separate); -a rtc: the RT of the membership route', collect)
    .option('--nexthop <ip>', 'next hop (default: our session address)')
    .option('--etag <n>', 'EVPN Ethernet tag (default 0)')
    .option('--esi <esi>', 'EVPN Ethernet segment identifier (default 0)')
    .option('--encap <type>', 'encapsulation extended community: vxlan | mpls | ...')
    .option('--router-mac <mac>', 'EVPN router MAC extended community')
    .option('--gw <ip>', 'EVPN prefix route gateway')
    .option('--med <n>', 'MULTI_EXIT_DISC')
    .option('--local-pref <n>', 'LOCAL_PREF')
    .option('--community <list>', 'communities, A:B[,...]')
    .option('--large-community <list>', 'large communities, A:B:C[,...]')
    .option('--origin <origin>', 'igp | egp | incomplete')
    .option('--aspath <list>', 'AS_PATH sequence, A,B,C')
    .option('--pmsi <vni>', 'EVPN multicast: PMSI tunnel, ingress replication with this label (VNI) to the originating router')
    .argument('[words...]', 'the route in GoBGP words: PREFIX | macadv MAC IP | multicast IP | prefix PREFIX | a-d | esi ESI IP | ASN RT | default');
}

/** The GoBGP words of a `rib add|del` command line: positional words, then each option as `keyword value`. */
export function routeWords(words: string[], o: RouteOpts, family: string): string[] {
  const w = [...words];
  if (family === 'rtc') {
    // `-a rtc --rt 65000:100`: the RT is the NLRI (origin AS 0 = ours, filled in by the daemon)
    if (o.rt?.length) {
      if (w.length) throw new RouteArgsError('rtc: give the route target either as --rt or as words (ASN RT), not both');
      if (o.rt.length !== 1) throw new RouteArgsError('rtc: one --rt per membership route');
      w.push('0', o.rt[0]!);
    }
  } else if (o.rt?.length) w.push('rt', o.rt.join(','));
  const kv: [string, string | undefined][] = [
    ['rd', o.rd], ['label', o.label], ['nexthop', o.nexthop], ['etag', o.etag], ['esi', o.esi], ['encap', o.encap],
    ['router-mac', o.routerMac], ['gw', o.gw], ['med', o.med], ['local-pref', o.localPref], ['community', o.community],
    ['large-community', o.largeCommunity], ['origin', o.origin], ['aspath', o.aspath],
  ];
  for (const [k, v] of kv) if (v !== undefined) w.push(k, v);
  if (o.pmsi !== undefined) {
    if (family !== 'evpn' || w[0] !== 'multicast' || !w[1]) throw new RouteArgsError('--pmsi: for -a evpn multicast IP routes only');
    w.push('pmsi', 'ingress-repl', o.pmsi, w[1]);
  }
  return w;
}

export function addBgpCommands(program: Command, x: BgpCliContext): void {
  const bgp = x.sub(program, 'bgp', 'the embedded BGP speaker: neighbor, rib (gobgp style)');

  // ---- neighbor ----
  /** gobgp global rib / gobgp neighbor ADDR adj-in|adj-out: one family's table. */
  const showRib = async (familyText: string, table: 'adj-in' | 'adj-out' | undefined, neighborAddr: string | undefined, o: { json?: boolean; quiet?: boolean }) => {
    const family = familyOfName(familyText);
    if (!family) throw x.usage(`--family: unknown address family '${familyText}' (one of ${FAMILY_HELP})`);
    const paths = (
      await list<BgpServiceClient, object, { path: Path__Output }>(x.client(), 'ListPath', {
        family: familyEnum(family),
        table: table === 'adj-in' ? 'TABLE_TYPE_ADJ_IN' : table === 'adj-out' ? 'TABLE_TYPE_ADJ_OUT' : 'TABLE_TYPE_GLOBAL',
        neighbor: neighborAddr ?? '',
      })
    ).map((r) => r.path);
    if (o.json) return x.json(paths.map(pathJson));
    if (o.quiet) return x.out(paths.map((p) => `${p.key}\n`).join(''));
    if (!paths.length) return x.out('Network not in table\n');
    x.out(renderRib(paths, family));
  };

  // ---- neighbor ----
  // `bgp neighbor [ADDR [adj-in|adj-out]]` is `bgp neighbor show ...` (the default
  // subcommand), so that -a belongs to show and add alike.
  const neighbor = x.sub(bgp, 'neighbor', 'BGP neighbors: show (default), add, del, reset');
  x.readOpts(x.sub(neighbor, 'show', 'summary table of the neighbors, the detail block of one, or its adj-in / adj-out (gobgp neighbor)', { isDefault: true }))
    .argument('[address]', 'one neighbor: its detail block')
    .argument('[table]', "adj-in | adj-out: the neighbor's table of one family (-a)")
    .option('-a, --family <family>', `with adj-in|adj-out: address family: ${FAMILY_HELP}`, 'ipv4')
    .action(async (addr: string | undefined, tableArg: string | undefined, o: { family: string; json?: boolean; quiet?: boolean }) => {
      if (tableArg !== undefined) {
        if (tableArg !== 'adj-in' && tableArg !== 'adj-out') throw x.usage(`neighbor ${addr}: expected adj-in or adj-out, got '${tableArg}'`);
        return showRib(o.family, tableArg, addr, o);
      }
      const peers = (await list<BgpServiceClient, object, { peer: Peer__Output }>(x.client(), 'ListPeer', { address: addr ?? '' })).map((r) => neighborJson(r.peer));
      if (o.quiet) return x.out(peers.map((p) => `${p.address}\n`).join(''));
      if (addr) {
        if (o.json) return x.json(peers[0]);
        return x.out(renderNeighborDetail(peers[0]!));
      }
      if (o.json) return x.json(peers);
      x.out(renderNeighborSummary(peers));
    });
  x.sub(neighbor, 'add', 'add a neighbor (config bgp.neighbors; runtime until the next reload)')
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
    .action(async (addr: string, o: { as: string; family?: string[]; passive?: boolean; port?: string; localAddress?: string; holdTime?: string; keepalive?: string; connectRetry?: string; routeReflectorClient?: boolean; maxPrefix?: string; description?: string }) => {
      const num = (name: string, v: string | undefined) => {
        if (v === undefined) return 0;
        if (!/^\d+$/.test(v)) throw x.usage(`${name}: '${v}' is not a number`);
        return Number(v);
      };
      const families = (o.family ?? []).flatMap((f) => f.split(',')).map((f) => {
        const n = familyOfName(f);
        if (!n) throw x.usage(`--family: unknown address family '${f}' (one of ${FAMILY_HELP})`);
        return familyEnum(n);
      });
      const asn = num('--as', o.as);
      if (asn < 1 || asn > 0xffffffff) throw x.usage(`--as: ${o.as} is not an AS number (1-4294967295)`);
      const peer: PeerConf = {
        neighborAddress: addr, peerAs: asn, families, passive: !!o.passive, port: num('--port', o.port),
        localAddress: o.localAddress ?? '', holdTime: num('--hold-time', o.holdTime), keepaliveInterval: num('--keepalive', o.keepalive),
        connectRetry: num('--connect-retry', o.connectRetry), routeReflectorClient: !!o.routeReflectorClient, maxPrefix: num('--max-prefix', o.maxPrefix),
        description: o.description ?? '',
      };
      await call(x.client(), 'AddPeer', { peer });
    });
  x.sub(neighbor, 'del', 'delete a neighbor (its session ends, its routes leave the RIB)')
    .argument('<address>')
    .action(async (addr: string) => {
      await call(x.client(), 'DeletePeer', { address: addr });
    });
  x.sub(neighbor, 'reset', 'reset a session, or with --soft ask the neighbor to resend its routes (ROUTE-REFRESH)')
    .argument('<address>')
    .option('--soft', 'route refresh instead of a session reset')
    .option('-a, --family <family>', 'with --soft: only this family (default: every negotiated one)')
    .action(async (addr: string, o: { soft?: boolean; family?: string }) => {
      let family = familyEnum('ipv4');
      if (o.family !== undefined) {
        if (!o.soft) throw x.usage('neighbor reset: -a goes with --soft');
        const n = familyOfName(o.family);
        if (!n) throw x.usage(`--family: unknown address family '${o.family}' (one of ${FAMILY_HELP})`);
        family = familyEnum(n);
      }
      await call(x.client(), 'ResetPeer', { address: addr, soft: !!o.soft, family: o.family !== undefined ? family : 'BGP_FAMILY_UNSPECIFIED' });
    });

  // ---- rib ----
  // `bgp rib [-a F]` is `bgp rib show [-a F]` (the default subcommand), so that
  // `-a` belongs to show, add and del alike.
  const rib = x.sub(bgp, 'rib', "the RIB of a family: show (default), add, del");
  x.readOpts(x.sub(rib, 'show', "show the Loc-RIB of a family, or a neighbor's adj-in / adj-out (gobgp global rib)", { isDefault: true }))
    .option('-a, --family <family>', `address family: ${FAMILY_HELP}`, 'ipv4')
    .addOption(new Option('--table <table>', 'adj-in | adj-out: a neighbor\'s table instead of the Loc-RIB').choices(['adj-in', 'adj-out']))
    .option('--neighbor <address>', 'the neighbor of --table')
    .action(async (o: { family: string; table?: 'adj-in' | 'adj-out'; neighbor?: string; json?: boolean; quiet?: boolean }) => {
      if (o.table && !o.neighbor) throw x.usage(`rib --table ${o.table}: --neighbor ADDR is required`);
      if (o.neighbor && !o.table) throw x.usage('rib --neighbor: give --table adj-in or adj-out');
      await showRib(o.family, o.table, o.neighbor, o);
    });

  const routeCommand = (verb: 'add' | 'del') =>
    routeOptions(x.sub(rib, verb, verb === 'add' ? 'originate a route (GoBGP words or options)' : 'withdraw a route originated here')).action(
      async (words: string[], o: RouteOpts) => {
        const family = familyOfName(o.family);
        if (!family) throw x.usage(`--family: unknown address family '${o.family}' (one of ${FAMILY_HELP})`);
        let parsed;
        try {
          parsed = parseRouteArgs(family, routeWords(words, o, family));
        } catch (e) {
          if (e instanceof RouteArgsError) throw x.usage(`rib ${verb} -a ${family}: ${e.message}`);
          throw e;
        }
        const nlri = nlriMessage(parsed.family, parsed.route);
        if (verb === 'add') await call(x.client(), 'AddPath', { family: familyEnum(parsed.family), nlri, attributes: attrsMessage(parsed.attrs) });
        else await call(x.client(), 'DeletePath', { family: familyEnum(parsed.family), nlri });
      },
    );
  routeCommand('add');
  routeCommand('del');
}
