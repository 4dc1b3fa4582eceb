import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The command tests start the status command as processes (tsx); on a busy two-core
    // machine that takes longer than vitest's 5 s.
    testTimeout: 180_000,
  },
});
