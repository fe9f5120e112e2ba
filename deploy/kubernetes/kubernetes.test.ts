import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler, type IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { CronJob, type ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job, type IJob } from 'kubernetes-models/batch/v1/Job';
import { Ingress, type IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy, type INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget, type IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap, type IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim, type IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import { Secret, type ISecret } from 'kubernetes-models/v1/Secret';
import { Service, type IService } from 'kubernetes-models/v1/Service';
import { secretNames } from '@serendip/config';
import { QueueName } from '@serendip/jobs';
import { ENTRIES } from '../../scripts/build';
import { DEFAULT_IS_FINE_IN_CONTAINERS, OTHER_PROGRAM_SETTINGS, processSettings } from '../../scripts/deployment';
import { builtProgram, DEFAULT_PORTS, stackProcesses } from '../../scripts/stack';

const ROOT = join(__dirname, '..', '..');
const NAMESPACE = 'serendip';
/** kubectl's built-in kustomize renders the overlays; no cluster is needed. */
const KUBECTL = process.env.KUBECTL ?? 'kubectl';

/** The Kubernetes API's schema of each kind the manifests may hold (kubernetes-models), by apiVersion and kind. */
const SCHEMAS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/CronJob': CronJob,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

type LabelSelector = NonNullable<NonNullable<IDeployment['spec']>['selector']>;

/** Whether a label selector (matchLabels and matchExpressions, as Deployments, PDBs and policies use them) selects these labels. */
function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  const expressions = selector.matchExpressions ?? [];
  return (
    Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value) &&
    expressions.every(({ key, operator, values = [] }) => {
      const value = labels[key];
      if (operator === 'In') return value !== undefined && values.includes(value);
      if (operator === 'NotIn') return value === undefined || !values.includes(value);
      if (operator === 'Exists') return value !== undefined;
      if (operator === 'DoesNotExist') return value === undefined;
      throw new Error(`unknown selector operator ${operator}`);
    })
  );
}

/** A resource quantity (`250m`, `2`, `512Mi`, `1Gi`) as a number of cores or bytes. */
function quantity(value: string | number): number {
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G)?$/.exec(String(value));
  if (!match) throw new Error(`not a quantity: ${value}`);
  const units: Record<string, number> = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9 };
  return Number(match[1]) * (match[2] ? units[match[2]]! : 1);
}

const operationsDoc = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
const kubernetesSection = operationsDoc.slice(
  operationsDoc.indexOf('## Kubernetes'),
  operationsDoc.indexOf('\n## ', operationsDoc.indexOf('## Kubernetes') + 1),
);

const PROCESSES = stackProcesses(DEFAULT_PORTS).flat();
/** The workloads besides the stack's processes, with the settings of the program each runs. */
const OTHER_WORKLOADS: Record<string, string> = { trainer: 'trainer', 'db-setup': 'setup', 'index-snapshot': 'index-snapshot' };
/** Every workload of the manifests: the stack's processes, the sequence model's trainer, the database set-up Job and the index snapshot builder. */
const WORKLOADS = [...PROCESSES.map((spec) => spec.name), ...Object.keys(OTHER_WORKLOADS)];
const settingsOfWorkload = (name: string) => {
  const program = OTHER_WORKLOADS[name];
  return program === undefined ? processSettings(name) : OTHER_PROGRAM_SETTINGS[program]!;
};
/**
 * The secrets each workload reads: its `secret()` settings, and for the set-up the admin account's
 * password, which no other pod may hold.
 */
const SECRET_READERS = new Map(
  WORKLOADS.map((name) => [name, [...secretNames(settingsOfWorkload(name)), ...(name === 'db-setup' ? ['MYSQL_ADMIN_PASSWORD'] : [])]]),
);
const ALL_SECRETS = new Set([...SECRET_READERS.values()].flat());

/** The secret names docs/operations.md tells an operator to write into an overlay's secrets.env. */
function documentedSecrets(): string[] {
  const loop = /for name in ([A-Z_ ]+); do/.exec(kubernetesSection);
  if (!loop) throw new Error('docs/operations.md "Kubernetes" has no `for name in …; do` line writing secrets.env');
  return loop[1]!.trim().split(/\s+/);
}

/**
 * The overlay rendered as `kubectl apply -k` would send it, from a copy of deploy/kubernetes whose
 * secrets.env holds random values for the documented names (a local secrets.env is never read).
 */
function render(overlay: string): KubernetesObject[] {
  const copy = mkdtempSync(join(tmpdir(), 'serendip-kubernetes-'));
  try {
    cpSync(__dirname, copy, { recursive: true, filter: (source) => basename(source) !== 'secrets.env' });
    const secrets = documentedSecrets().map((name) => `${name}=${randomBytes(32).toString('hex')}\n`);
    writeFileSync(join(copy, 'overlays', overlay, 'secrets.env'), secrets.join(''));
    let output: string;
    try {
      output = execFileSync(KUBECTL, ['kustomize', join(copy, 'overlays', overlay)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const { code, stderr } = error as NodeJS.ErrnoException & { stderr?: string };
      if (code === 'ENOENT')
        throw new Error(`${KUBECTL} not found: these tests need kubectl 1.27 or later (its built-in kustomize v5), or KUBECTL set to one`, {
          cause: error,
        });
      throw new Error(`kubectl kustomize overlays/${overlay} failed: ${stderr ?? String(error)}`, { cause: error });
    }
    const objects = parseAllDocuments(output).map((document) => document.toJS() as KubernetesObject);
    // kustomize wraps a Secret's base64 values over lines, which the API server's decoder skips
    // and the schema's base64 pattern does not.
    for (const object of objects.filter((candidate): candidate is ISecret & KubernetesObject => candidate.kind === 'Secret'))
      object.data = Object.fromEntries(Object.entries(object.data ?? {}).map(([key, value]) => [key, value.replace(/\n/g, '')]));
    return objects;
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

const OVERLAYS = readdirSync(join(__dirname, 'overlays')).sort();

describe('deploy/kubernetes', () => {
  it('has the production overlay and one for a single node', () => {
    expect(OVERLAYS).toEqual(['minimal', 'production']);
  });

  it('documents every secret the pods read in the secrets.env one-liner of docs/operations.md', () => {
    expect([...documentedSecrets()].sort()).toEqual([...ALL_SECRETS].sort());
  });

  it('keeps overlays/*/secrets.env out of git and the build context', () => {
    for (const overlay of OVERLAYS) {
      const path = `deploy/kubernetes/overlays/${overlay}/secrets.env`;
      expect(execFileSync('git', ['check-ignore', path], { cwd: ROOT, encoding: 'utf8' }).trim()).toBe(path);
    }
    expect(readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n')).toContain('deploy/');
  });

  it('scales the worker on the External metric prometheus-adapter.yaml serves, from the series the worker publishes, over the queues it serves', () => {
    const adapter = parse(readFileSync(join(__dirname, 'prometheus-adapter.yaml'), 'utf8')) as {
      rules: { external: { seriesQuery: string; name: { as: string }; metricsQuery: string }[] };
    };
    const hpa = parseAllDocuments(readFileSync(join(__dirname, 'base', 'worker.yaml'), 'utf8'))
      .map((document) => document.toJS() as KubernetesObject)
      .find((object): object is IHorizontalPodAutoscaler & KubernetesObject => object.kind === 'HorizontalPodAutoscaler');
    const external = hpa?.spec?.metrics?.find((metric) => metric.type === 'External')?.external;
    const rule = adapter.rules.external.find((candidate) => candidate.name.as === external?.metric.name);
    expect(rule).toBeDefined();
    const series = /^(serendip_[a-z_]+)\{/.exec(rule!.seriesQuery)?.[1];
    expect(series).toBe('serendip_worker_queue_jobs');
    expect(readFileSync(join(ROOT, 'workers', 'inference', 'src', 'metrics.ts'), 'utf8')).toContain(`name: '${series}'`);
    expect(rule!.metricsQuery).toContain(series);
    // docs/operations.md shows the rule as the file has it.
    expect(kubernetesSection).toContain(rule!.seriesQuery);
    expect(kubernetesSection).toContain(rule!.metricsQuery);
    // The trainer's model-training queue is another Deployment's backlog.
    const queues = external?.metric.selector?.matchExpressions?.find((expression) => expression.key === 'queue')?.values ?? [];
    expect(queues.length).toBeGreaterThan(0);
    expect(queues).not.toContain(QueueName.ModelTraining);
  });
});

describe.each(OVERLAYS)('deploy/kubernetes/overlays/%s', (overlay) => {
  const objects = render(overlay);
  const ofKind = <T>(kind: string) => objects.filter((object) => object.kind === kind) as (T & KubernetesObject)[];
  const deployments = ofKind<IDeployment>('Deployment');
  const jobs = ofKind<IJob>('Job');
  const cronJobs = ofKind<ICronJob>('CronJob');
  const configMaps = ofKind<IConfigMap>('ConfigMap');
  const secrets = ofKind<ISecret>('Secret');
  const services = ofKind<IService>('Service');
  /** Every pod template with its workload's name: the Deployments, the set-up Job and the CronJob's. */
  const workloads = [
    ...deployments.map((deployment) => ({ name: deployment.metadata.name, pod: deployment.spec!.template, kind: 'Deployment' })),
    ...jobs.map((job) => ({ name: job.metadata.name, pod: job.spec!.template, kind: 'Job' })),
    ...cronJobs.map((cronJob) => ({ name: cronJob.metadata.name, pod: cronJob.spec!.jobTemplate.spec!.template, kind: 'CronJob' })),
  ];
  const deployment = (name: string) => {
    const found = deployments.find((candidate) => candidate.metadata.name === name);
    if (!found) throw new Error(`overlays/${overlay} has no Deployment ${name}`);
    return found;
  };
  const containerOf = (pod: { spec?: IPodSpec }): IContainer => {
    const containers = pod.spec?.containers ?? [];
    expect(containers).toHaveLength(1);
    return containers[0]!;
  };

  /** The settings a container is given, each with where it comes from (a ConfigMap or the Secret, by name). */
  function settingsOf(container: IContainer): Map<string, string[]> {
    const settings = new Map<string, string[]>();
    const add = (name: string, source: string) => settings.set(name, [...(settings.get(name) ?? []), source]);
    for (const source of container.envFrom ?? []) {
      const configMap = configMaps.find((candidate) => candidate.metadata.name === source.configMapRef?.name);
      if (!configMap) throw new Error(`envFrom names no ConfigMap of the overlay: ${JSON.stringify(source)}`);
      for (const name of Object.keys(configMap.data ?? {})) add(name, `configmap/${configMap.metadata.name}`);
    }
    for (const variable of container.env ?? []) add(variable.name, variable.valueFrom?.secretKeyRef ? 'secret' : 'literal');
    return settings;
  }
  /** A setting's value from the container's ConfigMaps. */
  const valueOf = (container: IContainer, name: string): string | undefined => {
    for (const source of container.envFrom ?? []) {
      const value = configMaps.find((candidate) => candidate.metadata.name === source.configMapRef?.name)?.data?.[name];
      if (value !== undefined) return value;
    }
    return undefined;
  };
  /** The port setting and host setting of a workload (the worker's and trainer's probe server). */
  const listenSettings = (name: string) =>
    name === 'worker' || name === 'trainer' ? ['WORKER_HEALTH_PORT', 'WORKER_HOST'] : [`${name.toUpperCase()}_PORT`, `${name.toUpperCase()}_HOST`];

  it('holds only objects that validate against the Kubernetes API schema, all in the serendip namespace', () => {
    expect(objects.length).toBeGreaterThan(30);
    for (const object of objects) {
      const id = `${object.kind}/${object.metadata.name}`;
      const Model = SCHEMAS[`${object.apiVersion}/${object.kind}`];
      expect({ id, modelled: !!Model }).toEqual({ id, modelled: true });
      let problems: string | null = null;
      try {
        new Model!(object as never).validate();
      } catch (error) {
        problems = (error as Error).message;
      }
      expect({ id, problems }).toEqual({ id, problems: null });
      if (object.kind !== 'Namespace') expect({ id, namespace: object.metadata.namespace }).toEqual({ id, namespace: NAMESPACE });
    }
    expect(ofKind('Namespace').map((namespace) => namespace.metadata.name)).toEqual([NAMESPACE]);
  });

  it("runs every process of the stack as a Deployment of its built program, the sequence model's trainer beside them, the database set-up as a Job and the index snapshot builder as a CronJob", () => {
    expect([...deployments, ...jobs, ...cronJobs].map((candidate) => candidate.metadata.name).sort()).toEqual([...WORKLOADS].sort());
    for (const spec of PROCESSES) {
      const container = containerOf(deployment(spec.name).spec!.template);
      expect({ process: spec.name, command: container.command }).toEqual({
        process: spec.name,
        command: ['node', '--enable-source-maps', builtProgram(spec.entry)],
      });
      expect(container.image).toMatch(/(^|\/)serendip(:[\w.-]+)?$/);
    }
    const trainer = containerOf(deployment('trainer').spec!.template);
    expect(trainer.command).toEqual(containerOf(deployment('worker').spec!.template).command);
    expect(trainer.image).toMatch(/(^|\/)serendip-trainer(:[\w.-]+)?$/);
    expect(valueOf(trainer, 'WORKER_QUEUES')).toBe(QueueName.ModelTraining);
    expect(containerOf(jobs.find((job) => job.metadata.name === 'db-setup')!.spec!.template).command).toEqual([
      'node',
      '--enable-source-maps',
      builtProgram('scripts/db-setup.ts'),
    ]);
    expect(containerOf(cronJobs.find((cronJob) => cronJob.metadata.name === 'index-snapshot')!.spec!.jobTemplate.spec!.template).command).toEqual([
      'node',
      '--enable-source-maps',
      builtProgram('subgraphs/recommendation/src/index-snapshot-cli.ts'),
    ]);
    // Every program started is one `pnpm build` writes; the demo import is no part of a deployment.
    for (const { name, pod } of workloads) {
      const program = containerOf(pod).command?.find((argument) => argument.startsWith('dist/'));
      expect({ name, program }).toEqual({ name, program: expect.stringMatching(/^dist\//) });
      expect(ENTRIES.map(builtProgram)).toContain(program);
      expect(program).not.toContain('demo-data');
    }
  });

  it('probes each process where its settings make it listen: startup and liveness on /healthz, readiness on /readyz', () => {
    for (const { name, pod } of workloads.filter((workload) => workload.kind === 'Deployment')) {
      const container = containerOf(pod);
      const [portSetting, hostSetting] = listenSettings(name);
      const port = Number(valueOf(container, portSetting!));
      expect({ name, listens: valueOf(container, hostSetting!), port }).toEqual({ name, listens: '0.0.0.0', port: expect.any(Number) });
      const exposed = (container.ports ?? []).find((candidate) => candidate.containerPort === port);
      expect({ name, exposed: !!exposed }).toEqual({ name, exposed: true });
      const probe = (value: IProbe | undefined) => ({
        name,
        path: value?.httpGet?.path,
        onItsPort: value?.httpGet?.port === exposed!.name || value?.httpGet?.port === port,
      });
      expect(probe(container.startupProbe)).toEqual({ name, path: '/healthz', onItsPort: true });
      expect(probe(container.livenessProbe)).toEqual({ name, path: '/healthz', onItsPort: true });
      expect(probe(container.readinessProbe)).toEqual({ name, path: '/readyz', onItsPort: true });
      // Prometheus scrapes /metrics on the same port (docs/operations.md, "Metrics").
      expect(pod.metadata?.annotations?.['prometheus.io/port']).toBe(String(port));
    }
  });

  it('runs every pod without root, on a read-only root with a volume wherever it writes, without capabilities, service links or an API token', () => {
    for (const { name, pod } of workloads) {
      const spec = pod.spec!;
      const container = containerOf(pod);
      expect({ name, nonRoot: spec.securityContext?.runAsNonRoot, user: spec.securityContext?.runAsUser }).toEqual({ name, nonRoot: true, user: 1000 });
      expect({ name, links: spec.enableServiceLinks, token: spec.automountServiceAccountToken }).toEqual({ name, links: false, token: false });
      expect({ name, context: container.securityContext }).toEqual({
        name,
        context: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      });
      const mounts = new Map((container.volumeMounts ?? []).map((mount) => [mount.mountPath, mount]));
      const volumes = new Set((spec.volumes ?? []).map((volume) => volume.name));
      for (const mount of mounts.values()) expect(volumes).toContain(mount.name);
      // The sequence model's folder: written by the trainer (model-training) alone, read by whoever else is given it.
      const modelDir = valueOf(container, 'SEQUENCE_MODEL_DIR');
      if (modelDir !== undefined) {
        const writes = valueOf(container, 'WORKER_QUEUES')?.split(',').includes(QueueName.ModelTraining) ?? false;
        expect({ name, mounted: mounts.has(modelDir), readOnly: mounts.get(modelDir)?.readOnly ?? false }).toEqual({ name, mounted: true, readOnly: !writes });
        // Training writes its inputs to the temporary folder.
        if (writes) expect({ name, tmp: mounts.has('/tmp') }).toEqual({ name, tmp: true });
      }
      // The index snapshots' folder: written by the builder alone, read by the replicas.
      const snapshotDir = valueOf(container, 'INDEX_SNAPSHOT_DIR');
      if (snapshotDir !== undefined) {
        expect({ name, mounted: mounts.has(snapshotDir), readOnly: mounts.get(snapshotDir)?.readOnly ?? false }).toEqual({
          name,
          mounted: true,
          readOnly: name !== 'index-snapshot',
        });
      }
    }
  });

  it("builds index snapshots on a schedule, one build at a time, into the volume every recommendation replica and the catalogue's semantic index read", () => {
    expect(cronJobs.map((cronJob) => cronJob.metadata.name)).toEqual(['index-snapshot']);
    const builder = cronJobs[0]!.spec!;
    expect(builder.schedule).toMatch(/^\S+( \S+){4}$/);
    expect(builder.concurrencyPolicy).toBe('Forbid');
    const builderPod = builder.jobTemplate.spec!.template;
    const replicaPod = deployment('recommendation').spec!.template;
    const cataloguePod = deployment('catalogue').spec!.template;
    const [builderContainer, replicaContainer, catalogueContainer] = [containerOf(builderPod), containerOf(replicaPod), containerOf(cataloguePod)];
    // The builder reads the feed the replicas read, and writes where they look.
    expect(valueOf(builderContainer, 'CATALOGUE_URL')).toBe(valueOf(replicaContainer, 'CATALOGUE_URL'));
    const dir = valueOf(builderContainer, 'INDEX_SNAPSHOT_DIR');
    expect(dir).toMatch(/^\//);
    expect([valueOf(replicaContainer, 'INDEX_SNAPSHOT_DIR'), valueOf(catalogueContainer, 'INDEX_SNAPSHOT_DIR')]).toEqual([dir, dir]);
    // The volume, not object storage: the two are exclusive (docs/operations.md "Index snapshots").
    expect([builderContainer, replicaContainer, catalogueContainer].map((container) => valueOf(container, 'INDEX_SNAPSHOT_URL'))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    /** The claim mounted at the snapshot folder, and whether the pod may write to it. */
    const claimAt = (pod: { spec?: IPodSpec }, container: IContainer) => {
      const mount = container.volumeMounts?.find((candidate) => candidate.mountPath === dir);
      const claim = pod.spec?.volumes?.find((volume) => volume.name === mount?.name)?.persistentVolumeClaim;
      return { claim: claim?.claimName, writable: !(mount?.readOnly ?? false) && !(claim?.readOnly ?? false) };
    };
    expect(claimAt(builderPod, builderContainer)).toEqual({ claim: 'index-snapshots', writable: true });
    expect(claimAt(replicaPod, replicaContainer)).toEqual({ claim: 'index-snapshots', writable: false });
    expect(claimAt(cataloguePod, catalogueContainer)).toEqual({ claim: 'index-snapshots', writable: false });
    // The image's node user writes there: the volume is made its group's.
    expect(builderPod.spec!.securityContext?.fsGroup).toBe(1000);
    // Replicas on every node read it; a single node can do with ReadWriteOnce.
    const claim = ofKind<IPersistentVolumeClaim>('PersistentVolumeClaim').find((candidate) => candidate.metadata.name === 'index-snapshots');
    expect(claim?.spec?.accessModes).toEqual([overlay === 'minimal' ? 'ReadWriteOnce' : 'ReadWriteMany']);
  });

  it('requests and limits CPU and memory for every container, the requests within the limits', () => {
    for (const { name, pod } of workloads) {
      const { requests = {}, limits = {} } = containerOf(pod).resources ?? {};
      for (const resource of ['cpu', 'memory']) {
        expect({ name, resource, request: requests[resource] !== undefined, limit: limits[resource] !== undefined }).toEqual({
          name,
          resource,
          request: true,
          limit: true,
        });
        expect(quantity(requests[resource]!)).toBeLessThanOrEqual(quantity(limits[resource]!));
      }
    }
  });

  it('stops each process within its grace period: after the preStop pause and SHUTDOWN_GRACE_MS', () => {
    for (const deployment of deployments) {
      const pod = deployment.spec!.template;
      const container = containerOf(pod);
      const pause = Number(container.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
      const drain = Number(valueOf(container, 'SHUTDOWN_GRACE_MS') ?? 0) / 1000;
      expect({ name: deployment.metadata.name, fits: (pod.spec!.terminationGracePeriodSeconds ?? 30) > pause + drain }).toEqual({
        name: deployment.metadata.name,
        fits: true,
      });
    }
  });

  it('gives every Deployment a disruption budget that never blocks a drain', () => {
    const budgets = ofKind<IPodDisruptionBudget>('PodDisruptionBudget');
    for (const deployment of deployments) {
      const labels = deployment.spec!.template.metadata!.labels!;
      const budget = budgets.filter((candidate) => selects(candidate.spec!.selector!, labels));
      expect({ name: deployment.metadata.name, budgets: budget.length }).toEqual({ name: deployment.metadata.name, budgets: 1 });
      expect(budget[0]!.spec!.maxUnavailable).toBe(1);
      expect(selects(deployment.spec!.selector, labels)).toBe(true);
    }
  });

  it('autoscales every process but the trainer on CPU in production (the worker on queue depth too), and leaves the count to the autoscaler', () => {
    const autoscalers = ofKind<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler');
    const trainer = deployment('trainer');
    expect({ replicas: trainer.spec!.replicas, strategy: trainer.spec!.strategy?.type }).toEqual({ replicas: 1, strategy: 'Recreate' });
    expect(autoscalers.some((autoscaler) => autoscaler.spec!.scaleTargetRef.name === 'trainer')).toBe(false);
    if (overlay === 'minimal') {
      expect(autoscalers).toEqual([]);
      return;
    }
    for (const spec of PROCESSES) {
      const autoscaler = autoscalers.filter(
        (candidate) => candidate.spec!.scaleTargetRef.kind === 'Deployment' && candidate.spec!.scaleTargetRef.name === spec.name,
      );
      expect({ name: spec.name, autoscalers: autoscaler.length }).toEqual({ name: spec.name, autoscalers: 1 });
      const { minReplicas = 1, maxReplicas, metrics = [] } = autoscaler[0]!.spec!;
      expect({ name: spec.name, minReplicas }).toEqual({ name: spec.name, minReplicas: expect.any(Number) });
      expect(minReplicas).toBeGreaterThanOrEqual(2);
      expect(maxReplicas).toBeGreaterThan(minReplicas);
      expect(metrics.find((metric) => metric.type === 'Resource')?.resource?.name).toBe('cpu');
      expect({ name: spec.name, replicas: deployment(spec.name).spec!.replicas }).toEqual({ name: spec.name, replicas: undefined });
    }
    const worker = autoscalers.find((autoscaler) => autoscaler.spec!.scaleTargetRef.name === 'worker')!;
    const queues = worker.spec!.metrics?.find((metric) => metric.type === 'External')?.external?.metric.selector?.matchExpressions?.[0]?.values;
    expect([...(queues ?? [])].sort()).toEqual(
      valueOf(containerOf(deployment('worker').spec!.template), 'WORKER_QUEUES')!
        .split(',')
        .sort(),
    );
  });

  it('sets every setting of every process from ConfigMaps and the Secret, each from one place, in production mode', () => {
    for (const { name, pod } of workloads) {
      const settings = settingsOf(containerOf(pod));
      const missing = Object.keys(settingsOfWorkload(name).shape).filter((key) => !settings.has(key) && !DEFAULT_IS_FINE_IN_CONTAINERS.has(key));
      expect({ name, missing }).toEqual({ name, missing: [] });
      const twice = [...settings].filter(([, sources]) => sources.length > 1).map(([key]) => key);
      expect({ name, twice }).toEqual({ name, twice: [] });
      const literal = [...settings].filter(([, sources]) => sources.includes('literal')).map(([key]) => key);
      expect({ name, literal }).toEqual({ name, literal: [] });
      expect(valueOf(containerOf(pod), 'NODE_ENV')).toBe('production');
    }
  });

  it('gives each secret from the Secret, only to the pods that read it, and never puts one in a ConfigMap', () => {
    for (const configMap of configMaps) {
      const leaked = Object.keys(configMap.data ?? {}).filter((key) => ALL_SECRETS.has(key) || /SECRET|PASSWORD/.test(key));
      expect({ configMap: configMap.metadata.name, leaked }).toEqual({ configMap: configMap.metadata.name, leaked: [] });
    }
    for (const { name, pod } of workloads) {
      const references = (containerOf(pod).env ?? []).flatMap((variable) =>
        variable.valueFrom?.secretKeyRef ? [{ variable: variable.name, ...variable.valueFrom.secretKeyRef }] : [],
      );
      expect({ name, secrets: references.map((reference) => reference.variable).sort() }).toEqual({
        name,
        secrets: [...(SECRET_READERS.get(name) ?? [])].sort(),
      });
      for (const reference of references) {
        const secret = secrets.find((candidate) => candidate.metadata.name === reference.name);
        expect({ variable: reference.variable, key: reference.key, found: secret?.data?.[reference.key] !== undefined }).toEqual({
          variable: reference.variable,
          key: reference.variable,
          found: true,
        });
      }
    }
  });

  it("points every process at the others through Services that reach those pods' ports", () => {
    const urls = workloads.flatMap(({ name, pod }) => {
      const container = containerOf(pod);
      return [...settingsOf(container).keys()]
        .filter((key) => key.endsWith('_URL') && key !== 'REDIS_URL')
        .map((key) => ({ name, key, url: valueOf(container, key)! }));
    });
    // The gateway's four, and the subgraphs' calls to each other.
    expect(urls.length).toBeGreaterThanOrEqual(4);
    for (const { name, key, url } of urls) {
      const { hostname, port, pathname } = new URL(url);
      const service = services.find((candidate) => candidate.metadata.name === hostname);
      const servicePort = service?.spec?.ports?.find((candidate) => candidate.port === Number(port));
      expect({ name, key, service: !!service, port: !!servicePort, pathname }).toEqual({ name, key, service: true, port: true, pathname: '/graphql' });
      const target = deployments.find((candidate) => selects({ matchLabels: service!.spec!.selector }, candidate.spec!.template.metadata!.labels!));
      expect({ url, target: target?.metadata.name }).toEqual({ url, target: hostname });
      const ports = containerOf(target!.spec!.template).ports ?? [];
      expect(ports.some((candidate) => candidate.name === servicePort!.targetPort || candidate.containerPort === servicePort!.targetPort)).toBe(true);
    }
  });

  it('lets only the platform and Prometheus reach the subgraphs and workers', () => {
    const policies = ofKind<INetworkPolicy>('NetworkPolicy');
    for (const { name, pod } of workloads.filter((workload) => workload.kind === 'Deployment' && workload.name !== 'gateway')) {
      const covering = policies.filter((policy) => selects(policy.spec!.podSelector, pod.metadata!.labels!) && policy.spec!.policyTypes?.includes('Ingress'));
      expect({ name, covered: covering.length > 0 }).toEqual({ name, covered: true });
      // A rule that admits anyone (no `from`) would undo the policy.
      for (const policy of covering) for (const rule of policy.spec!.ingress ?? []) expect(rule.from?.length).toBeGreaterThan(0);
    }
  });

  it('exposes only GraphQL and the order webhook, through an Ingress to the gateway, in production', () => {
    const ingresses = ofKind<IIngress>('Ingress');
    if (overlay === 'minimal') {
      expect(ingresses).toEqual([]);
      return;
    }
    expect(ingresses).toHaveLength(1);
    const paths = ingresses[0]!.spec!.rules!.flatMap((rule) => rule.http?.paths ?? []);
    expect(paths.map((path) => path.path).sort()).toEqual(['/graphql', '/webhooks/orders']);
    const gateway = services.find((service) => service.metadata.name === 'gateway')!;
    for (const path of paths) {
      expect(path.backend.service?.name).toBe('gateway');
      expect(gateway.spec!.ports!.some((port) => port.name === path.backend.service?.port?.name)).toBe(true);
    }
    expect(ingresses[0]!.spec!.tls?.length).toBeGreaterThan(0);
    expect(valueOf(containerOf(deployment('gateway').spec!.template), 'TRUST_PROXY')).toBe('true');
  });
});
