import { describe, expect, it } from 'vitest';

import { loadProto } from '../../../src/api/proto.js';
import { MESSAGE_COUNTERS, withTotal, zeroMessageCounts } from '../../../src/bgp/message-counters.js';

describe('BGP message counter table', () => {
  it('the proto MessageCounters fields are the table rows, in order, plus total (drift fails here)', () => {
    const { packageDefinition } = loadProto();
    const t = packageDefinition['hvswitch.v1.MessageCounters'] as unknown as { type: { field: { name: string; number: number }[] } };
    const fields = t.type.field.map((f) => f.name);
    const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    expect(fields.map(camel)).toEqual([...MESSAGE_COUNTERS.map((c) => c.key), 'total']);
  });

  it('the metric label value is the proto field name (snake case)', () => {
    for (const c of MESSAGE_COUNTERS) expect(c.type).toBe(c.key.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`));
  });

  it('total sums every row', () => {
    const c = zeroMessageCounts();
    MESSAGE_COUNTERS.forEach((m, i) => (c[m.key] = i + 1));
    expect(withTotal(c).total).toBe((MESSAGE_COUNTERS.length * (MESSAGE_COUNTERS.length + 1)) / 2);
  });
});
