/**
 * `pnpm build`: compiles every process to JavaScript in dist/, so production runs `node dist/…`
 * with production dependencies only (no tsx, no TypeScript), and builds both browser apps.
 *
 * Each entry point is one esbuild bundle at its source's path under dist/ (gateway/src/main.ts →
 * dist/gateway/src/main.js): the workspace's own packages are inlined, every npm package stays an
 * import resolved from node_modules at run time. The worker's thread and handler modules and its
 * pool's child are entries of their own, found beside the worker's main as in the sources. Paths to
 * files the processes read (the supergraph, models, trusted documents) come from `projectRoot()`,
 * which is the same from dist/ as from the sources.
 *
 *   pnpm build            dist/ and apps/<app>/dist
 *   pnpm build --no-apps  dist/ alone
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildConsole } from '../apps/console/server/serve';
import { buildStorefront } from '../apps/storefront/server/serve';
import { DEFAULT_PORTS, stackProcesses } from './stack';

const ROOT = join(__dirname, '..');
export const DIST = join(ROOT, 'dist');

/**
 * Every program a deployment runs, by source path: each process of the platform (the stack's own
 * list, so a new process is built without being listed twice), then what runs beside them.
 */
export const ENTRIES: readonly string[] = [
  ...stackProcesses(DEFAULT_PORTS)
    .flat()
    .map((spec) => spec.entry),
  // The worker's inference thread and handler registry, loaded by path beside its main.
  'workers/inference/src/inference-thread.entry.ts',
  'workers/inference/src/handlers/index.ts',
  'workers/inference/src/train-sequence.ts',
  'subgraphs/user/src/admin-cli.ts',
  'subgraphs/recommendation/src/index-snapshot-cli.ts',
  'subgraphs/catalogue/src/search-words-cli.ts',
  'scripts/db-setup.ts',
  'tools/demo-data/src/cli.ts',
  'apps/storefront/server/serve.ts',
  'apps/console/server/serve.ts',
];

/** Bundles the workspace's packages (`@serendip/*` and relative imports) and leaves every npm package external. */
const npmExternal: Plugin = {
  name: 'npm-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@serendip/') ? undefined : { path: args.path, external: true }));
  },
};

/** Writes dist/ afresh; returns esbuild's metafile (inputs and each bundle's external imports). */
export async function buildProcesses(): Promise<Metafile> {
  rmSync(DIST, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [...ENTRIES],
    outbase: '.',
    outdir: DIST,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    // Bundling renames identifiers that collide between modules; type-graphql and TypeORM read class
    // names (types, entities), and stack traces should show the source's.
    keepNames: true,
    tsconfig: join(ROOT, 'tsconfig.json'),
    plugins: [npmExternal],
    metafile: true,
    logLevel: 'warning',
  });
  writeFileSync(join(DIST, 'meta.json'), JSON.stringify(result.metafile));
  return result.metafile;
}

async function main(): Promise<void> {
  const started = Date.now();
  const metafile = await buildProcesses();
  console.info(
    `build: ${ENTRIES.length} programs in ${DIST} (${Object.keys(metafile.inputs).length} modules) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (process.argv.includes('--no-apps')) return;
  buildStorefront();
  buildConsole();
  console.info(`build: storefront and console in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
