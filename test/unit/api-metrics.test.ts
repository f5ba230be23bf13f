// The Prometheus endpoint over memory ports: names and types per conventions
// (B4), values equal to the dataplane counters, FDB and worker series, the
// HTTP listener and its address parsing.
import { afterEach, describe, expect, it } from 'vitest';

import { createMetrics, metricOf, parseListen, startMetrics, type MetricsServer } from '../../src/daemon/metrics.js';
import { counterNames } from '../../src/dataplane/index.js';
import { frame, startFixture, type Fixture } from './api-fixture.js';
import { pino } from 'pino';
import { parseExposition } from './exposition.js';

const A = '02:00:00:00:00:0a';


describe('metrics', () => {
  let f: Fixture | undefined;
  let m: MetricsServer | undefined;
  afterEach(async () => {
    await m?.close();
    await f?.close();
    m = f = undefined;
  });

  it('maps core counters to node_exporter-style names; drops by reason', () => {
    expect(metricOf('rx_packets')).toEqual({ name: 'hvswitch_port_receive_packets_total' });
    expect(metricOf('tx_bytes')).toEqual({ name: 'hvswitch_port_transmit_bytes_total' });
    expect(metricOf('drop_runt')).toEqual({ name: 'hvswitch_port_receive_drop_total', reason: 'runt' });
    expect(metricOf('drop_tx_error')).toEqual({ name: 'hvswitch_port_transmit_drop_total', reason: 'tx_error' });
    expect(metricOf('flooded')).toEqual({ name: 'hvswitch_port_flooded_total' });
    for (const c of counterNames) expect(metricOf(c.name).name).toMatch(/^hvswitch_[a-z0-9_]+_total$/);
  });

  it('scraped values equal the port counters, FDB sizes and worker totals', async () => {
    f = await startFixture();
    const dp = f.controller.dataplane;
    for (let i = 0; i < 5; i++) dp.memInject('m1', frame('ff:ff:ff:ff:ff:ff', A));
    dp.memInject('m1', Buffer.alloc(10)); // runt
    dp.memInject('t1', frame('ff:ff:ff:ff:ff:ff', '02:00:00:00:00:0b', 30)); // VLAN not allowed
    dp.pollOnce();
    const reg = createMetrics(f.controller, '1.2.3');
    dp.drainEvents();
    const { values, types } = parseExposition(await reg.metrics());
    for (const port of ['m1', 'm2', 't1', 'm3']) {
      const s = dp.stats(port);
      const bridge = port === 'm3' ? 'br1' : 'br0';
      for (const c of counterNames) {
        const { name, reason } = metricOf(c.name);
        const key = `${name}{bridge="${bridge}",port="${port}"${reason ? `,reason="${reason}"` : ''}}`;
        expect(values.get(key), key).toBe(s[c.name]);
      }
    }
    expect(values.get('hvswitch_port_receive_packets_total{bridge="br0",port="m1"}')).toBe(6);
    expect(values.get('hvswitch_port_receive_drop_total{bridge="br0",port="m1",reason="runt"}')).toBe(1);
    expect(values.get('hvswitch_port_receive_drop_total{bridge="br0",port="t1",reason="vlan_not_allowed"}')).toBe(1);
    expect(values.get('hvswitch_port_transmit_packets_total{bridge="br0",port="m2"}')).toBe(5);
    expect(types.get('hvswitch_port_receive_packets_total')).toBe('counter');
    expect(values.get('hvswitch_fdb_entries{bridge="br0"}')).toBe(1);
    expect(values.get('hvswitch_fdb_entries{bridge="br1"}')).toBe(0);
    expect(values.get('hvswitch_fdb_max_entries{bridge="br0"}')).toBe(65536);
    expect(types.get('hvswitch_fdb_entries')).toBe('gauge');
    expect(values.get('hvswitch_fdb_events_total{bridge="br0",event="learned"}')).toBe(1);
    expect(values.get('hvswitch_worker_batches_total{worker="0"}')).toBe(dp.workerStats()[0]!.batches);
    expect(values.get('hvswitch_ports')).toBe(4);
    expect(values.get('hvswitch_bridges')).toBe(2);
    expect(values.get('hvswitch_up')).toBe(1);
    expect(values.get(`hvswitch_build_info{version="1.2.3",node_version="${process.version}"}`)).toBe(1);
    expect(types.get('process_cpu_seconds_total')).toBe('counter');
    // no counter without _total, no gauge with it
    for (const [name, type] of types) if (name.startsWith('hvswitch_')) expect(name.endsWith('_total'), name).toBe(type === 'counter');
  });

  it('serves GET /metrics over HTTP; 404 elsewhere; parses HOST:PORT forms', async () => {
    f = await startFixture();
    m = await startMetrics(f.controller, '127.0.0.1:0', '0.0.0', pino({ level: 'silent' }));
    const r = await fetch(`http://127.0.0.1:${m.port}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/plain');
    expect(await r.text()).toContain('hvswitch_port_receive_packets_total{bridge="br0",port="m1"} 0');
    expect((await fetch(`http://127.0.0.1:${m.port}/nope`)).status).toBe(404);
    expect(parseListen('127.0.0.1:9650')).toEqual({ host: '127.0.0.1', port: 9650 });
    expect(parseListen('[::1]:9650')).toEqual({ host: '::1', port: 9650 });
    expect(parseListen(':9650')).toEqual({ host: undefined, port: 9650 });
    expect(() => parseListen('9650')).toThrow(/metrics.listen: '9650' is not HOST:PORT/);
    expect(() => parseListen('h:70000')).toThrow(/not HOST:PORT/);
    await expect(startMetrics(f.controller, `127.0.0.1:${m.port}`, '0', pino({ level: 'silent' }))).rejects.toThrow(/EADDRINUSE/);
  });
});
