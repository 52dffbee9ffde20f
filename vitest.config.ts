import { defineConfig } from 'vitest/config';

// Tests import the built dist/ (`npm test` builds first): Node 20 cannot start a worker from a .ts file.
// Tests that need both CPUs to themselves (a busy CPU hides the race) run alone, after everything else.
const EXCLUSIVE = 'test/exclusive/**/*.test.ts';
const BROWSER = 'test/browser/**/*.test.ts';

export default defineConfig({
  test: {
    reporters: process.env.CI ? ['default', ['json', { outputFile: process.env.VITEST_RESULTS ?? '.ci/results.json' }]] : ['default'],
    projects: [
      {
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: [EXCLUSIVE, BROWSER],
          testTimeout: 30_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          // A real browser, started by the tests (test/browser/page.ts): its races want the CPUs too.
          name: 'browser',
          include: [BROWSER],
          fileParallelism: false,
          testTimeout: 60_000,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          name: 'exclusive',
          include: [EXCLUSIVE],
          fileParallelism: false,
          testTimeout: 60_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
