import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The CLI tests start the built CLI as processes, several per test; on a busy two-core
    // machine (turbo builds the docs site at the same time) that takes longer than vitest's 5 s.
    testTimeout: 30_000,
    // Memory tests collect garbage before they measure, so that they see what is kept, not what awaits collection.
    poolOptions: { forks: { execArgv: ['--expose-gc'] } },
  },
});
