import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The tests start the built CLI as processes, several per test; on a busy two-core machine
    // (turbo builds the docs site at the same time) that takes longer than vitest's 5 s.
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
