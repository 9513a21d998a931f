import { defineConfig } from 'vitest/config';

// Two tiers by file name: pure-code unit tests and integration tests that start real
// nats-server / websockets / DuckDB / Chromium. `npm test` runs both.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['apps/*/src/**/*.unit.test.ts', 'libs/*/src/**/*.unit.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'int',
          sequence: { groupOrder: 1 },
          include: ['apps/*/src/**/*.int.test.ts', 'libs/*/src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 2,
        },
      },
    ],
  },
});
