import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The tests start real nats-server processes (a three-node cluster in one); on a busy
    // two-core machine that takes longer than vitest's 5 s.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
