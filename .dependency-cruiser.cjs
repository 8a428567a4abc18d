// The layers of src/ (README, "Design"): a module may import only from its own
// folder and from the folders its layer lists. `npm run lint` checks them.
// Type-only imports count: a layer may not even name another layer's types.

const CORE = ['ports', 'billing', 'shared'];
// What the composition root may wire together, and the entry points may call.
const WIRING = ['app', ...CORE, 'config', 'report', 'pricing', 'store', 'simulated', 'aws', 'audit'];

/** Each folder of src/ and the folders it may import from (besides itself). */
const LAYERS = {
  billing: [],
  shared: [],
  ports: ['billing', 'shared'],
  app: CORE,
  config: ['billing', 'shared'],
  report: ['app', ...CORE],
  // Adapters: they implement ports and never know about each other.
  pricing: CORE,
  store: CORE,
  simulated: CORE,
  aws: CORE,
  // The audit writes its CSV format with report's generic CSV writer (csv.ts only).
  audit: [...CORE, 'report/csv\\.ts$'],
  // The composition root picks the adapters; the entry points call it, never each other.
  compose: WIRING,
  cli: ['compose', ...WIRING],
  handlers: ['compose', ...WIRING],
};

const layerRules = Object.entries(LAYERS).map(([folder, allowed]) => ({
  name: `layer-${folder}`,
  comment: `src/${folder}/ may import only from itself${allowed.length ? ` and ${allowed.join(', ')}` : ''} (README, "Design")`,
  severity: 'error',
  from: { path: `^src/${folder}/` },
  to: { path: '^src/', pathNot: [`^src/${folder}/`, ...allowed.map((target) => `^src/${target}`)] },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Imports go one way: no module may reach itself again, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unknown-folder',
      comment: 'Every folder of src/ has a layer in .dependency-cruiser.cjs: add a new one there first.',
      severity: 'error',
      from: { path: '^src/', pathNot: `^src/(${Object.keys(LAYERS).join('|')})/` },
      to: {},
    },
    ...layerRules,
    {
      name: 'no-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    moduleSystems: ['es6'],
  },
};
