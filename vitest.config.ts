import { defineConfig } from 'vitest/config';

// CI asks for a JSON report beside the console output, to print its "N passed, N failed" line.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: the CLI tests start a dozen Node processes each, and the suite shares two cores with them.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // A poll waits for what a person would see (a sign-in's scrypt, a page's next answer): vitest's 1 s default
    // failed a browser test on a loaded two-core machine that passed alone in 3.7 s.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    // Two files at a time even on two cores: most tests wait on a simulator, PostgreSQL or a child process,
    // and vitest's default (cores − 1) would run the files one after another.
    maxWorkers: 2,
    reporters: jsonReport === undefined ? ['default'] : ['default', 'json'],
    ...(jsonReport === undefined ? {} : { outputFile: { json: jsonReport } }),
  },
});
