// The host's interfaces as src/dataplane/links.ts sees them, without root:
// interface lookup by name, and the link watcher's socket and thread opened
// and closed cleanly (events themselves need root to create interfaces:
// test/netns/late-interface.test.ts).
import { describe, expect, it } from 'vitest';

import { LINK_EVENT_KIND, LinkWatcher, linkIndex } from '../../src/dataplane/links.js';
import { missingInterfaces, normalizeConfig } from '../../src/controller/index.js';

describe('links', () => {
  it('linkIndex: lo exists, a name that is not an interface is 0', () => {
    expect(linkIndex('lo')).toBeGreaterThan(0);
    expect(linkIndex('hvx-none-such0')).toBe(0);
  });

  it('the link event kinds map every enumerator of hv_link_event_kind', () => {
    expect(LINK_EVENT_KIND.unmapped()).toEqual([]);
    expect(Object.keys(LINK_EVENT_KIND.value).sort()).toEqual(['del', 'new', 'overrun']);
  });

  it('a watcher opens its rtnetlink socket and thread, and closes (many times: no leak, no hang)', () => {
    for (let i = 0; i < 50; i++) {
      const w = new LinkWatcher(() => undefined);
      w.close();
      w.close(); // twice is harmless
    }
  });

  it('--check-config warnings: af-packet ports whose interface is missing, naming port and field', () => {
    const c = normalizeConfig({
      bridges: { br0: {} },
      ports: { lo: { backend: 'af-packet', bridge: 'br0' }, 'hvx-gone0': { backend: 'af-packet', bridge: 'br0' }, 'hvx-tap0': { backend: 'tap', bridge: 'br0' } },
    });
    expect(missingInterfaces(c)).toEqual([
      { path: 'ports.hvx-gone0.backend', message: "af-packet interface 'hvx-gone0' does not exist (yet): the port stays absent until it appears" },
    ]);
  });
});
