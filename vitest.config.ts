import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      // In-memory fakes only: runs without PostgreSQL or Redis (`vitest run --project unit`).
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Integration tests share one PostgreSQL; each file works in its own schema (see test/support/database.ts).
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
