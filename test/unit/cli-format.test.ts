// The CLI's small formatters: VLAN lists and ranges, durations, column layout.
import { describe, expect, it } from 'vitest';

import { duration, parseVlanList, table, vlanRanges } from '../../src/cli/format.js';

describe('CLI formatting', () => {
  it('VLAN lists parse and compress', () => {
    expect(parseVlanList('10,20,30-32')).toEqual([10, 20, 30, 31, 32]);
    expect(parseVlanList('5, 3,3')).toEqual([3, 5]);
    expect(() => parseVlanList('1-x')).toThrow("'1-x' is not a VLAN or VLAN range");
    expect(() => parseVlanList('9-3')).toThrow("'9-3' is not a VLAN range");
    expect(vlanRanges([30, 10, 11, 12, 20])).toBe('10-12,20,30');
    expect(vlanRanges([])).toBe('');
  });

  it('durations', () => {
    expect(duration(5.7)).toBe('5s');
    expect(duration(3600 + 61)).toBe('1h1m1s');
    expect(duration(86400 * 2 + 5)).toBe('2d0h0m5s');
  });

  it('columns: text left, numbers right, no trailing blanks', () => {
    expect(table([{ header: 'port' }, { header: 'n', align: 'right' }, { header: 'x' }], [['a', 1, ''], ['long', 100, 'y']])).toBe(
      'port    n  x\na       1\nlong  100  y\n',
    );
  });
});
