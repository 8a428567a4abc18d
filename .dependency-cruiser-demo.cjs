// `wco run --demo` must never load the AWS SDK: cruised from the CLI entry,
// following static imports only (the AWS wiring is loaded with import() from
// src/compose/setup-dependencies.ts alone, and type-only imports vanish at
// build time), no module may import @aws-sdk/*.

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  extends: './.dependency-cruiser.cjs',
  forbidden: [
    {
      name: 'no-sdk-in-static-cli-graph',
      comment:
        'A module statically reachable from src/cli/wco.ts imports the AWS SDK: load AWS code through src/compose/aws.ts (dynamically) instead.',
      severity: 'error',
      from: {},
      to: { path: 'node_modules/@aws-sdk/', dependencyTypesNot: ['type-only', 'dynamic-import'] },
    },
  ],
  options: {
    // Resolution and rules as in the layer config (extends), on the static graph only.
    doNotFollow: { path: 'node_modules', dependencyTypes: ['dynamic-import', 'type-only'] },
  },
};
