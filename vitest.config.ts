import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs no privileges and runs in parallel; `netns` builds
// namespaces, veth pairs and TAP devices as root and runs one file at a time
// (the machine has two cores; parallel topologies would measure each other).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/bgp/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'netns',
          include: ['test/netns/**/*.test.ts', 'test/bgp/interop/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          pool: 'forks',
        },
      },
    ],
  },
});
