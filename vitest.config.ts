import { defineConfig } from 'vitest/config';

// CI asks for a JSON report beside the console output, to print its "N passed, N failed" line.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: the CLI tests start a dozen Node processes each, and the suite shares two cores with them.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: jsonReport === undefined ? ['default'] : ['default', 'json'],
    ...(jsonReport === undefined ? {} : { outputFile: { json: jsonReport } }),
  },
});
