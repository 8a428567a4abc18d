/**
 * A vitest config over some unit tests only, for one mutation area. Same
 * settings as the unit project of vitest.config.ts, without its projects
 * (Stryker's vitest runner runs one flat config).
 * @param {string[]} include
 */
export function unitTests(include) {
  return {
    test: {
      include,
      testTimeout: 30_000,
      hookTimeout: 60_000,
      env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    },
  };
}
