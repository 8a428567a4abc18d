// @ts-check

// Stryker's mutants are switched on inside the test process, so a test that checks
// host-time-zone independence in a child process cannot kill them. Mutation runs
// therefore run in a zone whose local date differs from UTC's most of the day:
// a mutant that uses local time instead of UTC fails the in-process tests.
// (Set here, before Stryker starts its test processes, which inherit it.)
process.env.TZ = 'Pacific/Kiritimati';
/**
 * What every area's mutation run shares. Each area (billing.config.mjs, ...)
 * names the source it mutates, the vitest config that lists only the tests
 * that exercise it (the whole suite per mutant would take hours on 2 cores),
 * and its own `break` threshold: `stryker run` exits non-zero below it.
 * @param {string} area
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function areaConfig(area) {
  return {
    packageManager: 'npm',
    testRunner: 'vitest',
    vitest: { configFile: `stryker/vitest.${area}.config.mjs`, related: false },
    checkers: ['typescript'],
    tsconfigFile: 'tsconfig.json',
    // A mutant the compiler rejects is not a test gap: the checker drops it
    // before any test runs, which also makes runs faster.
    typescriptChecker: { prioritizePerformanceOverAccuracy: true },
    coverageAnalysis: 'perTest',
    // The machine is shared (2 cores): never more than two test processes.
    concurrency: 2,
    // On top of 1.5 x the test time: a mutant that loops forever costs this much, so keep it short.
    timeoutMS: 10_000,
    reporters: ['clear-text', 'progress', 'html'],
    htmlReporter: { fileName: `reports/mutation/${area}.html` },
    // A rerun tests only the mutants whose code or tests changed.
    incremental: true,
    incrementalFile: `reports/stryker-incremental/${area}.json`,
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    ignorePatterns: ['dist', 'out', 'coverage', 'test-artifacts', 'reports', '.serverless', '.esbuild'],
  };
}
