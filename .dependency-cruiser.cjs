/**
 * The layering rules of src/ (DESIGN.md's data flow), checked by `npm run lint:deps` inside `npm test`.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import circle ties two modules into one: move the shared words down to the module both use.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'src/domain holds the product vocabulary and pure rules: it imports nothing of ours but itself and the error base class.',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: ['^src/domain/', '^src/errors\\.ts$'] },
    },
    {
      name: 'store-has-one-door',
      severity: 'error',
      comment: 'Outside the store, the store is reached through src/store/index.ts only.',
      from: { path: '^src/', pathNot: '^src/store/' },
      to: { path: '^src/store/', pathNot: '^src/store/index\\.ts$' },
    },
    {
      name: 'database-stays-in-the-store',
      severity: 'error',
      comment:
        'Kysely, pg and node:sqlite are the store’s business: the layers above use its feature objects.',
      from: { path: '^src/', pathNot: ['^src/store/', '^src/simulator/'] },
      to: { path: ['^node_modules/kysely/', '^node_modules/pg/', '^sqlite$', '^node:sqlite$'] },
    },
    {
      name: 'web-reads-schemas-and-domain',
      severity: 'error',
      comment:
        'The web UI knows the API by its schemas and the product by its domain, not the server, store, sync or client.',
      from: { path: '^src/web/' },
      to: {
        path: [
          '^src/store/',
          '^src/sync/',
          '^src/defender/',
          '^src/server/routes/',
          '^src/app/',
          '^src/jobs/',
        ],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    exclude: { path: '\\.d\\.ts$' },
  },
};
