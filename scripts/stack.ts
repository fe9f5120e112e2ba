import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@serendip/testing';
import { ADMIN_SETTINGS } from './db-setup';

const ROOT = join(__dirname, '..');

export interface ProcessSpec {
  name: string;
  entry: string;
  /** Its readiness probe: 200 once it can serve. */
  health: string;
  /** The port it serves on (the worker: its probe server's). */
  port: number;
  /** Settings of this process alone, over the stack's shared environment: a replica's port, the gateway's replica URLs. */
  env?: NodeJS.ProcessEnv;
}

export interface StackPorts {
  gateway: number;
  user: number;
  catalogue: number;
  recommendation: number;
  feedback: number;
  /** The worker's probe server: `/healthz`, `/readyz` and `/metrics` (`WORKER_HEALTH_PORT`). */
  worker: number;
}

export const DEFAULT_PORTS: StackPorts = { gateway: 4000, user: 4001, catalogue: 4002, recommendation: 4003, feedback: 4004, worker: 4010 };

/**
 * Processes a stack can run several of: the subgraphs, whose replicas share their database and
 * Redis (the gateway spreads calls over them), and the worker, whose processes share the queues.
 */
export type ReplicableProcess = Exclude<keyof StackPorts, 'gateway'>;
/** How many of each replicable process a stack runs; one of each unless said otherwise. */
export type StackReplicas = Partial<Record<ReplicableProcess, number>>;
/** The ports of each process's replicas after the first (which has its StackPorts one). */
export type ReplicaPorts = Partial<Record<ReplicableProcess, readonly number[]>>;

/** Replica `k` of a process (k from 1): the first keeps the process's own name, later ones are `<name>-<k>`. */
export const replicaName = (name: ReplicableProcess, k: number): string => (k === 1 ? name : `${name}-${k}`);

const PORT_SETTINGS: Record<ReplicableProcess, string> = {
  user: 'USER_PORT',
  catalogue: 'CATALOGUE_PORT',
  recommendation: 'RECOMMENDATION_PORT',
  feedback: 'FEEDBACK_PORT',
  worker: 'WORKER_HEALTH_PORT',
};
const URL_SETTINGS = { user: 'USER_URL', catalogue: 'CATALOGUE_URL', recommendation: 'RECOMMENDATION_URL', feedback: 'FEEDBACK_URL' } as const;
const graphqlUrl = (port: number) => `http://127.0.0.1:${port}/graphql`;

/** The environment every process of one stack shares: ports, URLs and whatever the caller adds. */
/**
 * Per-client limits for stacks that tests and benchmarks drive: every simulated shopper signs up,
 * signs in and connects from 127.0.0.1, which the gateway would otherwise take for one abusive
 * client. Tests of the limits themselves start a gateway of their own with strict ones.
 */
export const LOOPBACK_CLIENT_LIMITS: NodeJS.ProcessEnv = {
  RATE_LIMIT_PER_ADDRESS: '10000000',
  RATE_LIMIT_PER_SHOPPER: '10000000',
  RATE_LIMIT_AUTH_PER_ADDRESS: '10000000',
  RATE_LIMIT_SIGNIN_PER_ACCOUNT: '100000',
  WS_MAX_CONNECTIONS_PER_IP: '100000',
};

export function stackEnv(ports: StackPorts, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GATEWAY_PORT: String(ports.gateway),
    USER_PORT: String(ports.user),
    CATALOGUE_PORT: String(ports.catalogue),
    RECOMMENDATION_PORT: String(ports.recommendation),
    FEEDBACK_PORT: String(ports.feedback),
    WORKER_HEALTH_PORT: String(ports.worker),
    USER_URL: graphqlUrl(ports.user),
    CATALOGUE_URL: graphqlUrl(ports.catalogue),
    RECOMMENDATION_URL: graphqlUrl(ports.recommendation),
    FEEDBACK_URL: graphqlUrl(ports.feedback),
    ...extra,
  };
  // The database admin account is the set-up's alone (scripts/db-setup.ts): each process connects
  // as its subgraph's account, so none is given the admin one, even when the caller's shell has it.
  for (const name of ADMIN_SETTINGS) delete env[name];
  return env;
}

/**
 * Subgraphs first (each migrates its own database), then the gateway that federates them. Each is
 * waited for on `/readyz`, as a load balancer would before sending it traffic: its dependencies
 * answer and its indexes are loaded (docs/reliability.md). `replicas` adds processes beside the
 * first of each kind, in the same stage (replicas of a subgraph migrate once, under a lease), each
 * on its own port; the gateway is given every replica of a subgraph as a URL list
 * (gateway/src/replicas.ts), while the subgraphs that call another keep its first replica's URL.
 */
export function stackProcesses(ports: StackPorts, replicas: ReplicaPorts = {}): ProcessSpec[][] {
  const health = (port: number) => `http://127.0.0.1:${port}/readyz`;
  const each = (name: ReplicableProcess, entry: string): ProcessSpec[] => [
    { name, entry, health: health(ports[name]), port: ports[name] },
    ...(replicas[name] ?? []).map((port, index) => ({
      name: replicaName(name, index + 2),
      entry,
      health: health(port),
      port,
      env: { [PORT_SETTINGS[name]]: String(port) },
    })),
  ];
  const replicated = (Object.keys(URL_SETTINGS) as (keyof typeof URL_SETTINGS)[]).filter((name) => (replicas[name]?.length ?? 0) > 0);
  const gatewayEnv = Object.fromEntries(replicated.map((name) => [URL_SETTINGS[name], [ports[name], ...replicas[name]!].map(graphqlUrl).join(',')]));
  return [
    [
      ...each('user', 'subgraphs/user/src/main.ts'),
      ...each('catalogue', 'subgraphs/catalogue/src/main.ts'),
      ...each('recommendation', 'subgraphs/recommendation/src/main.ts'),
      ...each('feedback', 'subgraphs/feedback/src/main.ts'),
    ],
    [
      {
        name: 'gateway',
        entry: 'gateway/src/main.ts',
        health: health(ports.gateway),
        port: ports.gateway,
        ...(replicated.length > 0 ? { env: gatewayEnv } : {}),
      },
      // Loads the models (seconds); starts after the subgraphs so the catalogue's backfill finds it.
      ...each('worker', 'workers/inference/src/main.ts'),
    ],
  ];
}

/** Free ports for the replicas beyond the first of each process, none twice. */
async function replicaPorts(replicas: StackReplicas): Promise<ReplicaPorts> {
  const taken = new Set<number>();
  const ports: Record<string, number[]> = {};
  for (const [name, count] of Object.entries(replicas)) {
    ports[name] = [];
    while (ports[name].length < count - 1) {
      const port = await freePort();
      if (taken.has(port)) continue;
      taken.add(port);
      ports[name].push(port);
    }
  }
  return ports;
}

export interface RunningStack {
  children: Map<string, ChildProcess>;
  /** Every process of the stack, replicas included, stage by stage. */
  processes: readonly ProcessSpec[];
  /**
   * Starts the named process again once it has exited (killed by a test, as an orchestrator
   * restarts a crashed container), and waits until it is ready.
   */
  start(name: string): Promise<void>;
  /** Stops the named process as an orchestrator scales it in (SIGTERM, then SIGKILL after 10 s); `start` brings it back. */
  stopProcess(name: string): Promise<void>;
  stop(): Promise<void>;
}

async function waitHealthy(spec: ProcessSpec, child: ChildProcess, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${spec.name} exited with code ${child.exitCode} while starting`);
    try {
      const response = await fetch(spec.health);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${spec.name} did not become ready (${spec.health}) within ${deadlineMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Where `pnpm build` (scripts/build.ts) writes a source entry's program, relative to the checkout or the image's /app: `dist/<path>.js`. */
export const builtProgram = (source: string): string => `dist/${source.replace(/\.ts$/, '.js')}`;

/** The same program's absolute path in this checkout. */
export const builtEntry = (source: string): string => join(ROOT, builtProgram(source));

/**
 * Starts every process of the platform as its own OS process, stage by stage, and waits until
 * each is ready. Output goes through `onOutput`, prefixed by process name.
 */
export async function startStack(options: {
  env: NodeJS.ProcessEnv;
  ports: StackPorts;
  onOutput?: (name: string, line: string) => void;
  startTimeoutMs?: number;
  /** Run `pnpm build`'s JavaScript from dist/ with plain node, as production does, instead of the sources through tsx. @default false */
  built?: boolean;
  /** Extra node flags per process name, e.g. `--cpu-prof` for the one a benchmark profiles (node refuses it in NODE_OPTIONS). */
  nodeFlags?: Readonly<Record<string, readonly string[]>>;
  /** Several processes of a kind, e.g. `{ recommendation: 2, worker: 2 }` (replicas named `recommendation-2`, on free ports). @default one of each */
  replicas?: StackReplicas;
}): Promise<RunningStack> {
  const children = new Map<string, ChildProcess>();
  const specs = stackProcesses(options.ports, await replicaPorts(options.replicas ?? {}));
  const stop = async () => {
    for (const stage of [...specs].reverse()) {
      await Promise.all(
        stage
          .map((spec) => children.get(spec.name))
          .filter((c): c is ChildProcess => !!c)
          .map(stopChild),
      );
    }
  };
  const launch = (spec: ProcessSpec): Promise<void> => {
    // One OS process per service (tsx as a loader, not a wrapper), so a signal reaches it directly.
    const flags = options.nodeFlags?.[spec.name] ?? [];
    const args = options.built ? [...flags, '--enable-source-maps', builtEntry(spec.entry)] : [...flags, '--import', 'tsx', spec.entry];
    // dist/ sits outside every package, so its npm imports resolve as in the image's flat
    // node_modules (docker/Dockerfile installs with node-linker=hoisted): here, pnpm's hoisted store.
    const env = { ...options.env, ...spec.env, ...(options.built ? { NODE_PATH: join(ROOT, 'node_modules', '.pnpm', 'node_modules') } : {}) };
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.set(spec.name, child);
    for (const stream of [child.stdout, child.stderr]) {
      let buffer = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buffer += chunk;
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) options.onOutput?.(spec.name, line);
      });
    }
    return waitHealthy(spec, child, options.startTimeoutMs ?? 60_000);
  };
  const start = async (name: string): Promise<void> => {
    const spec = specs.flat().find((candidate) => candidate.name === name);
    if (!spec) throw new Error(`no process named ${name} in the stack`);
    const running = children.get(name);
    if (running && running.exitCode === null && running.signalCode === null) throw new Error(`${name} is still running`);
    await launch(spec);
  };
  try {
    for (const stage of specs) await Promise.all(stage.map(launch));
  } catch (error) {
    await stop();
    throw error;
  }
  const stopProcess = async (name: string): Promise<void> => {
    const child = children.get(name);
    if (!child) throw new Error(`no process named ${name} in the stack`);
    await stopChild(child);
  };
  return { children, processes: specs.flat(), start, stopProcess, stop };
}
