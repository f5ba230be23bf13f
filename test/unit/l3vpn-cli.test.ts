// `hvswitch route show` for IP-VPN routes: a bgp FIB entry with MPLS next hops
// (remote PE, label, encapsulation, the peer of the path) through the API
// message (convert.ts) into the CLI's JSON and table (cli/commands/route.ts).
import { describe, expect, it } from 'vitest';

import { routeMessage } from '../../src/api/convert.js';
import { renderRoutes, routeJson } from '../../src/cli/commands/route.js';
import type { Route__Output } from '../../src/api/gen/hvswitch/v1/Route.js';

describe('route show: bgp routes', () => {
  it('origin bgp, via the PE, label, encapsulation and source; ECMP members on continuation rows', () => {
    const msg = routeMessage({
      vrf: 'red',
      prefix: '10.2.0.0/16',
      origin: 'bgp',
      nexthops: [
        { kind: 'mpls', remote: '192.0.2.12', label: 16, encap: 'udp' },
        { kind: 'mpls', remote: '192.0.2.13', label: 17, encap: 'gre' },
      ],
    });
    expect(msg.origin).toBe('ROUTE_ORIGIN_BGP');
    expect(msg.nexthops).toEqual([
      { via: '192.0.2.12', port: '', mac: '', label: 16, encap: 'mpls-udp' },
      { via: '192.0.2.13', port: '', mac: '', label: 17, encap: 'mpls-gre' },
    ]);
    msg.nexthops![0]!.source = '192.0.2.1';
    const j = routeJson({ ...msg, nexthops: msg.nexthops!.map((n) => ({ source: '', ...n })) } as Route__Output);
    expect(j).toMatchObject({ origin: 'bgp', nexthops: [{ via: '192.0.2.12', label: 16, encap: 'mpls-udp', source: '192.0.2.1' }, { via: '192.0.2.13', label: 17, encap: 'mpls-gre', source: '' }] });
    const lines = renderRoutes([j]).trimEnd().split('\n');
    expect(lines[1]).toMatch(/^red\s+10\.2\.0\.0\/16\s+via 192\.0\.2\.12 encap mpls-udp label 16 from 192\.0\.2\.1\s+bgp$/);
    expect(lines[2]).toMatch(/^\s+via 192\.0\.2\.13 encap mpls-gre label 17\s*$/);
  });

  it('EVPN type-5: via the VTEP, encap vxlan, the VNI and the router MAC (json router-mac), no label', () => {
    const msg = routeMessage({
      vrf: 'red',
      prefix: '10.1.0.2/32',
      origin: 'bgp',
      nexthops: [{ kind: 'vxlan', remote: '192.0.2.12', vni: 9100, rmac: '02:00:5e:00:00:02', smac: '02:00:5e:00:00:01' }],
    });
    expect(msg.nexthops).toEqual([{ via: '192.0.2.12', port: '', mac: '', label: 0, encap: 'vxlan', vni: 9100, routerMac: '02:00:5e:00:00:02' }]);
    const j = routeJson({ ...msg, nexthops: msg.nexthops!.map((n) => ({ ...n, source: '192.0.2.1' })) } as Route__Output);
    expect(j.nexthops).toEqual([{ via: '192.0.2.12', port: null, mac: null, encap: 'vxlan', vni: 9100, 'router-mac': '02:00:5e:00:00:02', source: '192.0.2.1' }]);
    expect(renderRoutes([j]).trimEnd().split('\n')[1]).toMatch(/^red\s+10\.1\.0\.2\/32\s+via 192\.0\.2\.12 encap vxlan vni 9100 rmac 02:00:5e:00:00:02 from 192\.0\.2\.1\s+bgp$/);
  });
});
