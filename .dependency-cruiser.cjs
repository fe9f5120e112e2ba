// The house's import rules, checked by `pnpm lint:deps` (run by `npm test`): no cycles, and arrows
// point down: processes (gateway, subgraphs, workers, tools, apps) -> libraries (packages/).

/**
 * Integration tests start the real peer processes they talk to (a catalogue beside the
 * recommendation subgraph, say), so they may import them; the rules below hold for everything else.
 */
const TESTS = '(^|/)test/|[.]test[.]ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle makes load order matter and hides which module owns what; break it by moving the shared piece down.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'libraries-stay-libraries',
      severity: 'error',
      comment: 'packages/ holds libraries: they never import a process (gateway, subgraph, worker, tool), a script or a test harness.',
      from: { path: '^packages/' },
      to: { path: '^(gateway|subgraphs|workers|tools|scripts|test)/' },
    },
    {
      name: 'subgraphs-own-their-data',
      severity: 'error',
      comment: 'A subgraph never imports another subgraph: it asks it over GraphQL (CatalogueClient, ServiceClient).',
      from: { path: '^subgraphs/([^/]+)/', pathNot: TESTS },
      to: { path: '^subgraphs/', pathNot: '^subgraphs/$1/' },
    },
    {
      name: 'no-reaching-into-another-package',
      severity: 'error',
      comment: 'Processes and libraries use another workspace package by its name (its index), never by a relative path into its folder.',
      from: { path: '^(gateway|subgraphs/[^/]+|packages/[^/]+|workers/[^/]+|tools/[^/]+|apps/[^/]+)/', pathNot: TESTS },
      to: { dependencyTypes: ['local'], pathNot: '^$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|^[.]run/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
