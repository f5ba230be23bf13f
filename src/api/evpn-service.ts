// hvswitch.v1.EvpnService: the local VTEP and the EVPN instances, read from
// the running config (what is configured), the dataplane (the VTEP as opened,
// its underlay counters) and the EVPN manager (what BGP taught the running
// instances).  An instance of the config that is not running (no BGP speaker)
// is listed as inactive with zero counts, so the operator sees it and why.
import type { Controller } from '../controller/index.js';
import type { Logger } from '../util/logger.js';
import { parseIp } from '../util/ip.js';
import { invalid, notFound } from './errors.js';
import type { EvpnInstance } from './gen/hvswitch/v1/EvpnInstance.js';
import type { EvpnRemoteVtep } from './gen/hvswitch/v1/EvpnRemoteVtep.js';
import type { EthernetSegment } from './gen/hvswitch/v1/EthernetSegment.js';
import type { EvpnServiceHandlers } from './gen/hvswitch/v1/EvpnService.js';
import type { GetEvpnResponse } from './gen/hvswitch/v1/GetEvpnResponse.js';
import { stream, unary } from './handlers.js';

/** The largest VXLAN network identifier (24 bits). */
const VNI_MAX = 0xffffff;

/** Remote VTEPs by address (IPv4 before IPv6, numerically), then VNI. */
function vtepOrder(a: EvpnRemoteVtep, b: EvpnRemoteVtep): number {
  const ia = parseIp(a.address!)!, ib = parseIp(b.address!)!;
  return ia.bytes.length - ib.bytes.length || Buffer.compare(ia.bytes, ib.bytes) || a.vni! - b.vni!;
}

/** The VTEP and instances (filtered by bridge and VNI) as GetEvpn answers them. */
export function evpnMessage(controller: Controller, filter: { bridge?: string; vni?: number } = {}): GetEvpnResponse {
  const dp = controller.dataplane;
  const running = new Map((controller.evpn.manager?.list() ?? []).map((i) => [`${i.cfg.bridge}/${i.cfg.vlan}`, i]));
  const instances: EvpnInstance[] = controller.running.evpn
    .filter((e) => (!filter.bridge || e.bridge === filter.bridge) && (!filter.vni || e.vni === filter.vni))
    .sort((a, b) => (a.bridge < b.bridge ? -1 : a.bridge > b.bridge ? 1 : a.vlan - b.vlan))
    .map((e) => {
      const r = running.get(`${e.bridge}/${e.vlan}`);
      const active = !!r && r.cfg.vni === e.vni;
      return {
        bridge: e.bridge,
        vlan: e.vlan,
        vni: e.vni,
        rd: e.rd,
        importRouteTargets: e.importRts,
        exportRouteTargets: e.exportRts,
        active,
        localMacs: active ? r.localMacs : 0,
        remoteMacs: active ? r.remoteMacs : 0,
        remoteVteps: active ? r.vteps.map((v) => ({ address: v.vtep, vni: v.vni, flood: v.flood, macs: v.macs })).sort(vtepOrder) : [],
        duplicateDetections: active ? r.dupDetections : 0,
        duplicateMacs: active ? r.frozen.map((d) => ({ mac: d.mac, vtep: d.at, local: d.local, moves: d.moves, ignored: d.ignored, secondsLeft: d.secondsLeft })) : [],
      };
    });
  const v = dp.vtep();
  const out: GetEvpnResponse = { instances };
  if (v) out.vtep = { address: v.address, port: v.port, mtu: v.mtu, counters: dp.vtepStats() ?? {} };
  return out;
}

/** Our segments, then the other PEs' ones the instances alias over (ListEthernetSegments). */
export function segmentMessages(controller: Controller, esi = ''): EthernetSegment[] {
  const local: EthernetSegment[] = (controller.evpn.segments?.report() ?? []).map((s) => ({
    esi: s.esi, local: true, bond: s.bond, up: s.up, phase: s.phase, dfAlgorithm: s.algorithm, vteps: s.pes, elections: s.elections,
    df: s.df.map((x) => ({ vni: x.vni, vlan: x.vlan, df: x.df ?? '', local: x.local })),
    esiSource: s.esiSource, ...(s.partner ? { partner: { ...s.partner } } : {}),
    conflictEsi: s.conflict?.esi ?? '', conflictBond: s.conflict?.bond ?? '',
  }));
  const remote: EthernetSegment[] = (controller.evpn.manager?.remoteSegments() ?? [])
    .sort((a, b) => (a.esi < b.esi ? -1 : a.esi > b.esi ? 1 : a.vni - b.vni))
    .map((s) => ({ esi: s.esi, local: false, vteps: s.vteps, vni: s.vni }));
  return [...local, ...remote].filter((s) => !esi || s.esi === esi.toLowerCase());
}

export function evpnHandlers(controller: Controller, log: Logger): EvpnServiceHandlers {
  return {
    GetEvpn: unary(log, 'GetEvpn', (req) => {
      const vni = req.vni ?? 0;
      if (vni > VNI_MAX) throw invalid('vni', `must be a VNI, 1-${VNI_MAX}`);
      if (req.bridge && !controller.running.bridges.some((b) => b.name === req.bridge)) throw notFound(`no bridge named '${req.bridge}'`);
      return evpnMessage(controller, { bridge: req.bridge || undefined, vni: vni || undefined });
    }),
    ListEthernetSegments: stream(log, 'ListEthernetSegments', (req) => segmentMessages(controller, req.esi ?? '')),
  };
}
