import { postGraphQL } from '@serendip/testing';
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { benchStack } from '../test/bench/harness';
import { withAdminRoles } from '../subgraphs/user/src';
import { buildProcesses, ENTRIES } from './build';
import { setUpDatabases } from './db-setup';
import { builtEntry, LOOPBACK_CLIENT_LIMITS, startStack, type RunningStack } from './stack';

// Bundling, then starting six processes from dist/ and waiting for the worker's analysis, on a shared 2-core machine.
jest.setTimeout(180_000);

const ROOT = join(__dirname, '..');
const workspace = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };

/** Every manifest of the workspace (pnpm-workspace.yaml's globs, resolved through the lockfile's importers). */
function manifests(): { path: string; dependencies: Record<string, string> }[] {
  const lock = readFileSync(join(ROOT, 'pnpm-lock.yaml'), 'utf8');
  const importers = lock.slice(lock.indexOf('\nimporters:'), lock.indexOf('\npackages:'));
  return [...importers.matchAll(/^ {2}(\S+):$/gm)].map(([, path]) => {
    const manifest = JSON.parse(readFileSync(join(ROOT, path!, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    return { path: path!, dependencies: manifest.dependencies ?? {} };
  });
}

/** The npm package an import names: `@scope/name` or `name`, without a subpath. */
const packageOf = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

let metafile: Metafile;
const stackOf = benchStack(16_000, { ...LOOPBACK_CLIENT_LIMITS });
let stack: RunningStack | null = null;
const log: string[] = [];

beforeAll(async () => {
  metafile = await buildProcesses();
});

afterAll(async () => {
  await stack?.stop();
  await stackOf.dropData();
});

describe('pnpm build', () => {
  it('writes one program per entry point, importing only production dependencies of the workspace', () => {
    const outputs = Object.keys(metafile.outputs).filter((output) => output.endsWith('.js'));
    expect(outputs.map((output) => join(ROOT, output)).sort()).toEqual(ENTRIES.map(builtEntry).sort());
    // No TypeScript tooling at run time: what a `pnpm install --prod` image has is enough.
    const production = new Set([...Object.keys(workspace.dependencies ?? {}), ...manifests().flatMap((manifest) => Object.keys(manifest.dependencies))]);
    const builtin = new Set(builtinModules);
    const missing = new Set<string>();
    for (const [output, { imports }] of Object.entries(metafile.outputs))
      for (const { path, external } of imports)
        if (external && !path.startsWith('node:') && !builtin.has(packageOf(path)) && !production.has(packageOf(path)))
          missing.add(`${packageOf(path)} (${output})`);
    expect([...missing]).toEqual([]);
    // The workspace's own code is inlined, so nothing resolves @serendip/* (TypeScript sources) at run time.
    const workspaceImports = Object.values(metafile.outputs).flatMap(({ imports }) => imports.filter((entry) => entry.path.startsWith('@serendip/')));
    expect(workspaceImports).toEqual([]);
  });

  it('runs the whole platform from dist/ with plain node in production mode: a review is analysed by the worker', async () => {
    await setUpDatabases(stackOf.settings);
    stack = await startStack({
      env: stackOf.env,
      ports: stackOf.ports,
      built: true,
      onOutput: (name, line) => log.push(`[${name}] ${line}`),
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${log.slice(-30).join('\n')}`);
    });
    for (const child of stack.children.values()) {
      const commandLine = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
      expect(commandLine.some((argument) => argument.includes('tsx'))).toBe(false);
      expect(commandLine.find((argument) => argument.endsWith('.js'))).toMatch(/\/dist\/.*\/src\/main\.js$/);
    }

    const gql = async <T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> => {
      const response = await postGraphQL<T>(stackOf.gatewayUrl, query, variables, token ? { authorization: `Bearer ${token}` } : {});
      if (!response.data) throw new Error(JSON.stringify(response.errors));
      return response.data;
    };
    const account = { email: 'built@serendip.test', password: 'built-password' };
    await gql('mutation ($input: SignUpInput!) { signUp(input: $input) { token } }', { input: { ...account, displayName: 'Built' } });
    await withAdminRoles(stackOf.settings, (roles) => roles.grant(account.email));
    const { signIn } = await gql<{ signIn: { token: string } }>(
      'mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }',
      account,
    );
    const { createCategory } = await gql<{ createCategory: { id: string } }>('mutation { createCategory(input: { name: "Built" }) { id } }', {}, signIn.token);
    const { createProduct } = await gql<{ createProduct: { id: string } }>(
      'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      { input: { sku: 'BUILT-1', title: 'Built teapot', categoryId: createCategory.id, price: 10, currency: 'EUR' } },
      signIn.token,
    );
    const { submitReview } = await gql<{ submitReview: { id: string } }>(
      'mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id } }',
      { input: { productId: createProduct.id, rating: 5, text: '质量很好，物流也很快，非常满意！' } },
      signIn.token,
    );
    // The worker's inference thread and handler registry are programs of their own in dist/.
    interface Analysis {
      status: string;
      sentiment: { label: string } | null;
    }
    const read = async () =>
      (
        await gql<{ review: { analysis: Analysis } }>(
          'query ($id: ID!) { review(id: $id) { analysis { status sentiment { label } } } }',
          { id: submitReview.id },
          signIn.token,
        )
      ).review.analysis;
    let analysis = await read();
    for (const deadline = Date.now() + 60_000; analysis.status !== 'DONE' && Date.now() < deadline; analysis = await read())
      await new Promise((resolve) => setTimeout(resolve, 300));
    expect(analysis).toEqual({ status: 'DONE', sentiment: { label: 'positive' } });
  });
});
