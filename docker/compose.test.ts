import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { secretNames, type z } from '@serendip/config';
import { gatewayConfigSchema } from '../gateway/src/config';
import { dbSetupConfigSchema } from '../scripts/db-setup';
import { ENTRIES } from '../scripts/build';
import { stackProcesses, DEFAULT_PORTS } from '../scripts/stack';
import { catalogueConfigSchema } from '../subgraphs/catalogue/src/config';
import { feedbackConfigSchema } from '../subgraphs/feedback/src/config';
import { indexSnapshotConfigSchema, recommendationConfigSchema } from '../subgraphs/recommendation/src/config';
import { userConfigSchema } from '../subgraphs/user/src/config';
import { demoDataConfigSchema } from '../tools/demo-data/src/config';
import { workerConfigSchema } from '../workers/inference/src/config';

/** A source entry's program as compose names it, relative to the image's /app. */
const builtProgram = (entry: string): string => `dist/${entry.replace(/\.ts$/, '.js')}`;

/**
 * A .dockerignore line as a path test: `*` within a segment, `**` across them, and a pattern
 * matching a folder matches everything under it (Docker's rules, without `!` exceptions, which
 * this file does not use).
 */
function dockerignorePattern(line: string): RegExp {
  const glob = line.trim().replace(/\/$/, '');
  const source = glob
    .split('/')
    .map((segment) =>
      segment === '**'
        ? '.*'
        : segment
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]'),
    )
    .join('/')
    .replace(/^\.\*\//, '(?:.*/)?');
  return new RegExp(`^${source}(?:/.*)?$`);
}

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
}

const composeText = readFileSync(join(__dirname, 'compose.yaml'), 'utf8');
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, ComposeService>;
};

const schemas: Record<string, z.ZodObject> = {
  gateway: gatewayConfigSchema,
  user: userConfigSchema,
  catalogue: catalogueConfigSchema,
  recommendation: recommendationConfigSchema,
  feedback: feedbackConfigSchema,
  worker: workerConfigSchema,
};

/** One-shot and scheduled services besides the platform's processes, with the settings they read. */
const otherServices: Record<string, z.ZodObject> = {
  setup: dbSetupConfigSchema,
  trainer: workerConfigSchema,
  'demo-data': demoDataConfigSchema,
  'index-snapshot': indexSnapshotConfigSchema,
};

/**
 * Settings whose built-in default is right inside a container too. Every other setting of every
 * process must be set in compose.yaml, so a new setting cannot be forgotten there.
 */
const DEFAULT_IS_FINE_IN_CONTAINERS = new Set<string>([
  // Only for plugging in a foreign model (docs/inference.md); ours declare their own.
  'EMBEDDING_POOLING',
  'EMBEDDING_PREFIX',
  'SENTIMENT_LABELS',
  // Follows INFERENCE_DEVICE unless tuned for one model and machine.
  'INFERENCE_BATCH_SIZE',
  // Tests and benchmarks swap the handlers; a deployment never does.
  'WORKER_HANDLER_MODULE',
]);

describe('docker/compose.yaml', () => {
  const processes = stackProcesses(DEFAULT_PORTS).flat();

  it('runs every process of the platform with its own entry point', () => {
    for (const spec of processes) {
      const service = compose.services[spec.name];
      expect({ name: spec.name, command: service?.command }).toEqual({ name: spec.name, command: ['node', '--enable-source-maps', builtProgram(spec.entry)] });
    }
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['mysql', 'redis']));
  });

  it('runs only programs that `pnpm build` writes, with plain node', () => {
    const programs = Object.values(compose.services)
      .map((service) => service.command)
      .filter((command): command is string[] => command?.[0] === 'node');
    expect(programs.length).toBeGreaterThanOrEqual(8);
    for (const command of programs) expect(ENTRIES.map(builtProgram)).toContain(command.find((argument) => argument.startsWith('dist/')));
  });

  it('sets every setting of every process, binding to all interfaces in production mode', () => {
    for (const spec of processes) {
      const schema = schemas[spec.name];
      expect(schema).toBeDefined();
      const environment = compose.services[spec.name]?.environment ?? {};
      const missing = Object.keys(schema!.shape).filter((key) => !(key in environment) && !DEFAULT_IS_FINE_IN_CONTAINERS.has(key));
      expect({ service: spec.name, missing }).toEqual({ service: spec.name, missing: [] });
      expect(environment.NODE_ENV).toBe('production');
      // Processes that serve HTTP must listen beyond the container's loopback.
      if (spec.health) expect(environment[`${spec.name.toUpperCase()}_HOST`]).toBe('0.0.0.0');
    }
  });

  it('points services at each other by compose service name', () => {
    const gateway = compose.services.gateway?.environment ?? {};
    for (const name of ['user', 'catalogue', 'recommendation', 'feedback']) {
      expect(gateway[`${name.toUpperCase()}_URL`]).toMatch(new RegExp(`^http://${name}:\\d+/graphql$`));
    }
    for (const spec of processes) {
      const environment = compose.services[spec.name]?.environment ?? {};
      expect(environment.MYSQL_HOST).toBe('mysql');
      expect(environment.REDIS_URL).toBe('redis://redis:6379');
    }
  });
});

describe('docker/compose.yaml secrets', () => {
  const processes = stackProcesses(DEFAULT_PORTS).flat();
  const readers = new Map(
    [...processes.map((spec) => [spec.name, schemas[spec.name]!] as const), ...Object.entries(otherServices)].map(([name, schema]) => [
      name,
      secretNames(schema),
    ]),
  );
  const allSecrets = new Set([...readers.values()].flat());
  /** The admin password is no signing key, but a shipped one would be as known as the old development secrets. */
  const passwords = ['MYSQL_ADMIN_PASSWORD', 'MARIADB_ROOT_PASSWORD'];

  it('ships no value: each secret is required from the environment or docker/.env', () => {
    expect([...allSecrets]).toEqual(expect.arrayContaining(['GATEWAY_SECRET', 'JWT_SECRET']));
    for (const [service, { environment = {} }] of Object.entries(compose.services)) {
      for (const [name, value] of Object.entries(environment)) {
        if (!allSecrets.has(name) && !passwords.includes(name)) continue;
        expect({ service, name, value }).toEqual({ service, name, value: expect.stringMatching(/^\$\{[A-Z_]+:\?[^}]*\}$/) });
      }
    }
    expect(composeText).not.toMatch(/\$\{[A-Z_]*(SECRET|PASSWORD)[A-Z_]*:-/);
  });

  it('gives the database admin account to the setup service alone, and each subgraph only its own database password', () => {
    const given = (name: string) => Object.keys(compose.services).filter((service) => name in (compose.services[service]?.environment ?? {}));
    expect(given('MYSQL_ADMIN_PASSWORD')).toEqual(['setup']);
    expect(given('MYSQL_ADMIN_USER')).toEqual(['setup']);
    for (const owner of ['user', 'catalogue', 'recommendation', 'feedback']) {
      const subgraphs = given(`${owner.toUpperCase()}_DB_PASSWORD`).filter((service) => ['user', 'catalogue', 'recommendation', 'feedback'].includes(service));
      expect({ owner, subgraphs }).toEqual({ owner, subgraphs: [owner] });
    }
  });

  it('gives each secret only to the processes that read it', () => {
    for (const [service, { environment = {} }] of Object.entries(compose.services)) {
      const given = Object.keys(environment).filter((name) => allSecrets.has(name));
      expect({ service, given: given.sort() }).toEqual({ service, given: [...(readers.get(service) ?? [])].sort() });
    }
  });
});

describe('.dockerignore', () => {
  it('keeps local secrets (the installation key, env files) out of the image that `COPY . .` builds', () => {
    const ignored = readFileSync(join(__dirname, '..', '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.run/', '.env', '**/.env']));
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = readFileSync(join(__dirname, 'Dockerfile'), 'utf8');

  /** The Dockerfile's stages by name, each with its lines. */
  const stages = new Map<string, string[]>();
  for (const block of dockerfile.split(/^FROM /m).slice(1)) {
    const [header = '', ...lines] = block.split('\n');
    stages.set(header.split(' AS ')[1]?.trim() ?? header, lines);
  }

  it('finds the workspace manifests itself (no hand-kept list), and .dockerignore keeps every workspace package in the context', () => {
    const root = join(__dirname, '..');
    const manifests = execFileSync('git', ['ls-files', '*/package.json', '**/package.json'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((file) => /^(gateway|test|(subgraphs|packages|workers|tools|apps)\/[^/]+)\/package\.json$/.test(file));
    expect(manifests.length).toBeGreaterThan(10);
    expect(dockerfile).not.toMatch(/^COPY \S+\/package\.json /m);
    expect(stages.get('manifests')?.join('\n')).toMatch(/-name package\.json -o -name pnpm-lock\.yaml -o -name pnpm-workspace\.yaml/);
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'))
      .map(dockerignorePattern);
    const kept = (path: string) => !ignored.some((pattern) => pattern.test(path));
    for (const manifest of manifests) {
      const folder = manifest.replace(/\/package\.json$/, '');
      expect({ manifest, kept: kept(manifest), sources: kept(`${folder}/src/index.ts`) }).toEqual({ manifest, kept: true, sources: true });
    }
    // What the runtime stage copies from the context must be there too.
    for (const path of ['gateway/supergraph.graphql', 'gateway/trusted-documents.json', 'models/serendip-embed-zh-en/onnx/model.onnx', 'pnpm-workspace.yaml'])
      expect({ path, kept: kept(path) }).toEqual({ path, kept: true });
  });

  it('runs production dependencies and the built programs only, as a user without root', () => {
    const runtime = stages.get('runtime')!.join('\n');
    expect(runtime).toContain('pnpm install --prod --frozen-lockfile');
    expect(runtime).not.toMatch(/^COPY \. /m);
    expect(runtime).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(runtime.indexOf('USER node')).toBeGreaterThan(runtime.lastIndexOf('RUN '));
    expect(runtime).toMatch(/^CMD \["node", "--enable-source-maps", "dist\/gateway\/src\/main\.js"\]$/m);
    expect(stages.get('build')!.join('\n')).toContain('RUN pnpm build');
    expect(stages.get('trainer')!.join('\n')).toMatch(/USER node\nCMD \["node", "--enable-source-maps", "dist\/workers\/inference\/src\/main\.js"\]/);
  });

  it("takes pnpm from package.json's packageManager, not a version of its own", () => {
    expect(dockerfile).toContain('corepack enable pnpm');
    expect(dockerfile).not.toMatch(/pnpm@\d/);
  });
});

describe('docker/prometheus and docker/grafana', () => {
  const root = join(__dirname, '..');
  const prometheus = parse(readFileSync(join(__dirname, 'prometheus', 'prometheus.yml'), 'utf8')) as {
    scrape_configs: { static_configs?: { targets: string[] }[]; dns_sd_configs?: { names: string[]; port: number }[] }[];
  };
  const targets = new Set(
    prometheus.scrape_configs.flatMap((job) => [
      ...(job.static_configs ?? []).flatMap((config) => config.targets),
      ...(job.dns_sd_configs ?? []).flatMap((config) => config.names.map((name) => `${name}:${config.port}`)),
    ]),
  );

  it('scrapes every process of the platform on the port compose gives its /metrics', () => {
    for (const spec of stackProcesses(DEFAULT_PORTS).flat()) {
      const environment = compose.services[spec.name]?.environment ?? {};
      const port = environment[spec.name === 'worker' ? 'WORKER_HEALTH_PORT' : `${spec.name.toUpperCase()}_PORT`];
      expect({ process: spec.name, scraped: targets.has(`${spec.name}:${port}`) }).toEqual({ process: spec.name, scraped: true });
    }
  });

  it('charts only series the code publishes, and every Serendip series the code publishes', () => {
    const dashboard = JSON.parse(readFileSync(join(__dirname, 'grafana', 'dashboards', 'serendip.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const charted = new Set(dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => target.expr.match(/serendip_[a-z_]+/g) ?? [])));
    const histogramParts = /_(bucket|sum|count)$/;
    const published = new Set(
      execFileSync('git', ['grep', '-hoE', "name: 'serendip_[a-z_]+'", '--', 'gateway/src', 'packages/*/src/*', 'subgraphs/*/src/*', 'workers/*/src/*'], {
        cwd: root,
        encoding: 'utf8',
      })
        .split('\n')
        .filter(Boolean)
        .map((line) => line.slice("name: '".length, -1)),
    );
    expect([...charted].map((name) => name.replace(histogramParts, '')).filter((name) => !published.has(name))).toEqual([]);
    expect([...published].filter((name) => ![...charted].some((used) => used.replace(histogramParts, '') === name))).toEqual([]);
  });
});
