// The routes of the EVPN control-plane bench, shared by the receiver
// (routes.mjs) and the source (sender.mjs): MAC i behind VTEP 198.51.100.(1 + i mod V).
export const mac = (i) => `02:${[(i >>> 24) & 255, (i >>> 16) & 255, (i >>> 8) & 255, i & 255, 0x42].map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
export const vtepOf = (i, vteps = 16) => `198.51.100.${1 + (i % vteps)}`;
export const attrs = (vtep) => ({ nextHop: vtep, extCommunities: ['rt:65000:10010', 'encap:vxlan'] });
export const route = (i, vtep) => ({ type: 2, rd: `${vtep}:1`, esi: '0', ethernetTag: 0, mac: mac(i), ip: null, labels: [10010] });
