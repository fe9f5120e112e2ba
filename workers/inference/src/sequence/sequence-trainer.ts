import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { projectPath } from '@serendip/config';
import { compareIds } from '@serendip/db';
import type { RetrainSequenceResult } from '@serendip/jobs';
import { sampleWithoutReplacement, seededRng } from '@serendip/random';
import {
  collapseRepeats,
  MODEL_FILES,
  nextItemMetrics,
  sequenceVersionDir,
  type NextItemCase,
  type NextItemMetrics,
  type WantedVersions,
} from '@serendip/sequence';
import { InnerProductIndex } from '@serendip/vectors';
import type { WorkerConfig } from '../config';
import type { ProductVectorSource } from '../interest/interest-sources';
import { loadProductSequenceModel, type ProductSequenceModel, type RemoteQueries } from './sequence-queries';

/** One version as the registry records it. */
export interface SequenceModelRecord {
  version: string;
  createdAt: Date;
  validationHr10: number;
  validationNdcg10: number;
  baselineVersion: string | null;
  baselineHr10: number | null;
  shoppers: number;
  events: number;
  items: number;
  trainingSeconds: number;
  note: string;
}

/** What training reads and writes in the recommendation database (the recommendation subgraph implements it). */
export interface SequenceTrainingStore {
  /** Every consenting shopper's product ids in time order. */
  productSequences(): Promise<Map<string, string[]>>;
  servingSequenceModel(): Promise<{ version: string } | null>;
  /** What serving processes load: the serving version and those running experiments pin. */
  servedSequenceModels(): Promise<WantedVersions>;
  /** Versions that draft or running experiments pin: their files are kept. */
  pinnedSequenceModels(): Promise<string[]>;
  /** Records the version and makes it the only serving one. */
  promoteSequenceModel(record: SequenceModelRecord, at: Date): Promise<void>;
  /** Records the version as refused by the gate; the serving one is untouched. */
  rejectSequenceModel(record: SequenceModelRecord): Promise<void>;
  /** The newest versions first, with the gate's decision. */
  recentSequenceModels(limit: number): Promise<(SequenceModelRecord & { status: 'SERVING' | 'RETIRED' | 'REJECTED' })[]>;
}

export interface SequenceTrainingSettings {
  /** SEQUENCE_MODEL_DIR: versions are written to <modelDir>/<version>. */
  modelDir: string;
  /** The Python with torch that runs models/training/sequence_model.py. */
  python: string;
  minutes: number;
  threads: number;
  /** Refuse to train with fewer shoppers that have at least three products (two to learn from, one to validate on). */
  minShoppers: number;
  /** Refuse to train with fewer product events in all. */
  minEvents: number;
  /** Version folders kept besides the serving one and those experiments pin; older ones are deleted. */
  keep: number;
  /** Validation shoppers the gate scores (a seeded sample above this). */
  gateShoppers: number;
  /** Further trainer arguments (tests pass a small model). */
  trainerArgs?: readonly string[];
  /** Where the gate runs the versions' graphs: the inference thread in a worker process; here when absent. */
  remote?: RemoteQueries;
  /** Each product's text vector, the trainer's side information; trained on ids alone when absent. */
  features?: ItemFeatureSource;
}

/** The embedder's vectors of product texts (the catalogue's, for the model the worker serves). */
export interface ItemFeatureSource {
  /** By product id; products without a vector are left out. */
  vectorsOf(productIds: readonly string[]): Promise<Map<string, Float32Array>>;
  /** Names the vectors in logs and the model card, e.g. the embedding model and version. */
  name: string;
}

/** The catalogue's vectors of one embedding model version as the trainer's side information. */
export function productTextFeatures(products: Pick<ProductVectorSource, 'vectorsOf'>, model: { name: string; version: string }): ItemFeatureSource {
  return { name: `${model.name} ${model.version}`, vectorsOf: (productIds) => products.vectorsOf(model.name, model.version, productIds) };
}

/** The settings as a worker or `pnpm train:sequence` reads them from its environment (WorkerConfig's SEQUENCE_* keys). */
export function trainingSettings(
  config: Pick<
    WorkerConfig,
    | 'SEQUENCE_MODEL_DIR'
    | 'SEQUENCE_PYTHON'
    | 'SEQUENCE_TRAIN_MINUTES'
    | 'SEQUENCE_TRAIN_THREADS'
    | 'SEQUENCE_MIN_SHOPPERS'
    | 'SEQUENCE_MIN_EVENTS'
    | 'SEQUENCE_KEEP_VERSIONS'
    | 'SEQUENCE_GATE_SHOPPERS'
    | 'SEQUENCE_TRAINER_ARGS'
  >,
  remote?: RemoteQueries,
  features?: ItemFeatureSource,
): SequenceTrainingSettings {
  return {
    modelDir: config.SEQUENCE_MODEL_DIR,
    python: config.SEQUENCE_PYTHON,
    minutes: config.SEQUENCE_TRAIN_MINUTES,
    threads: config.SEQUENCE_TRAIN_THREADS,
    minShoppers: config.SEQUENCE_MIN_SHOPPERS,
    minEvents: config.SEQUENCE_MIN_EVENTS,
    keep: config.SEQUENCE_KEEP_VERSIONS,
    gateShoppers: config.SEQUENCE_GATE_SHOPPERS,
    trainerArgs: config.SEQUENCE_TRAINER_ARGS,
    ...(remote && { remote }),
    ...(features && { features }),
  };
}

/** The trainer script, at the repository's models/training. */
export const SEQUENCE_TRAINER = projectPath('models', 'training', 'sequence_model.py');

const GATE_SEED = 20261205;
/** Products whose text vectors one read asks for. */
const FEATURE_SLICE = 5_000;

/**
 * Trains a sequence model version on the platform's own behaviour and decides whether it serves.
 *
 * 1. Exports every consenting shopper's products in order (collapseRepeats, as serving reads them)
 *    and refuses, writing nothing, below the minimums.
 * 2. Runs models/training/sequence_model.py with `--holdout 1`: each shopper's last product is the
 *    validation item, the epoch is chosen on it, the rest is trained on.
 * 3. Gates: the new version and the serving one are scored by the same code on the same
 *    validation items (HR@10 of each shopper's last product from the ones before it, full
 *    ranking). The new one serves only when it scores at least as well; either way it is recorded
 *    with both figures and a note, and the decision is logged.
 * 4. Deletes version folders beyond the newest `keep` (never the serving one or one an experiment pins).
 */
export class SequenceTrainer {
  constructor(
    private readonly store: SequenceTrainingStore,
    private readonly settings: SequenceTrainingSettings,
    private readonly log: (line: string) => void,
  ) {}

  async train(options: { minutes?: number; now?: Date } = {}): Promise<RetrainSequenceResult> {
    const now = options.now ?? new Date();
    const { minShoppers, minEvents } = this.settings;
    const sequences = [...(await this.store.productSequences()).values()].map(collapseRepeats).filter((products) => products.length >= 2);
    const shoppers = sequences.filter((products) => products.length >= 3).length;
    const events = sequences.reduce((sum, products) => sum + products.length, 0);
    if (shoppers < minShoppers || events < minEvents) {
      const note =
        `not enough behaviour to train: ${shoppers} shoppers with at least 3 products (at least ${minShoppers} needed) ` +
        `and ${events} product events (at least ${minEvents} needed); the serving version stays`;
      this.log(`sequence training refused: ${note}`);
      return { status: 'REFUSED', version: null, hr10: null, baselineHr10: null, byHistory: [], note };
    }

    // Dense item ids in product id order, so one catalogue gives the same numbering each time.
    const productIds = [...new Set(sequences.flat())].sort(compareIds);
    const itemOf = new Map(productIds.map((productId, index) => [productId, index + 1]));
    const version = `seq-${now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
    const dir = sequenceVersionDir(this.settings.modelDir, version);
    this.log(
      `sequence training ${version}: ${sequences.length} shoppers (${shoppers} with 3+ products), ${events} product events, ${productIds.length} products`,
    );

    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'serendip-sequence-'));
    let trained: ProductSequenceModel | null = null;
    try {
      const input = path.join(work, 'sequences.txt');
      await fs.writeFile(input, sequences.map((products, user) => `${user + 1} ${products.map((productId) => itemOf.get(productId)).join(' ')}\n`).join(''));
      const features = await this.writeFeatures(productIds, path.join(work, 'item-features.f32'));
      await fs.mkdir(this.settings.modelDir, { recursive: true });
      await this.runTrainer(input, dir, options.minutes ?? this.settings.minutes, features);
      await fs.writeFile(path.join(dir, MODEL_FILES.items), JSON.stringify(productIds));
      const card = JSON.parse(await fs.readFile(path.join(dir, MODEL_FILES.card), 'utf8')) as { trainingSeconds: number };
      trained = await loadProductSequenceModel(dir, this.settings.remote);

      const cases = gateCases(sequences, this.settings.gateShoppers);
      const candidate = await scoreOn(trained, cases);
      const baseline = await this.baseline(cases);
      const passes = baseline === null || baseline.metrics === null || candidate.hr10 >= baseline.metrics.hr10;
      const note = gateNote(candidate, baseline, passes);
      const record: SequenceModelRecord = {
        version,
        createdAt: now,
        validationHr10: candidate.hr10,
        validationNdcg10: candidate.ndcg10,
        baselineVersion: baseline?.version ?? null,
        baselineHr10: baseline?.metrics?.hr10 ?? null,
        shoppers: sequences.length,
        events,
        items: productIds.length,
        trainingSeconds: card.trainingSeconds,
        note,
      };
      if (passes) {
        // Built once here, not on every replica: a replica reads it in about a second where building takes minutes at a million items.
        const indexStarted = Date.now();
        const { card: trainedCard, vectors } = trained.model;
        await (await InnerProductIndex.build(productIds, vectors, trainedCard.dim, trainedCard.dim)).save(dir);
        this.log(`sequence model ${version}: item index of ${productIds.length} items built in ${Date.now() - indexStarted} ms`);
        await this.store.promoteSequenceModel(record, new Date());
      } else await this.store.rejectSequenceModel(record);
      this.log(`sequence model ${version} ${passes ? 'SERVING' : 'REJECTED'}: ${note}`);
      await this.prune(passes ? version : (baseline?.version ?? null));
      const byHistory = candidate.byHistory.map((bucket, index) => ({ ...bucket, baselineHr10: baseline?.metrics?.byHistory[index]?.hr10 ?? null }));
      return { status: passes ? 'SERVING' : 'REJECTED', version, hr10: candidate.hr10, baselineHr10: baseline?.metrics?.hr10 ?? null, byHistory, note };
    } catch (error) {
      // A failed run leaves no half-written version behind for a process to try to load.
      await fs.rm(dir, { recursive: true, force: true });
      throw error;
    } finally {
      await trained?.model.release();
      await fs.rm(work, { recursive: true, force: true });
    }
  }

  /** The serving version's figures on the same cases; null metrics (with the reason) when it cannot be read. */
  private async baseline(cases: readonly string[][]): Promise<{ version: string; metrics: NextItemMetrics | null; problem?: string } | null> {
    const serving = await this.store.servingSequenceModel();
    if (!serving) return null;
    let model: ProductSequenceModel | null = null;
    try {
      model = await loadProductSequenceModel(sequenceVersionDir(this.settings.modelDir, serving.version), this.settings.remote);
      return { version: serving.version, metrics: await scoreOn(model, cases) };
    } catch (error) {
      return { version: serving.version, metrics: null, problem: (error as Error).message };
    } finally {
      await model?.model.release();
    }
  }

  /**
   * Writes the products' text vectors as the trainer's --item-features (row = item id, row 0 and
   * products without a vector all zeros); null when there is no source or no product has a vector.
   */
  private async writeFeatures(productIds: readonly string[], file: string): Promise<{ file: string; dim: number } | null> {
    const source = this.settings.features;
    if (!source) return null;
    // In slices, so a large catalogue is not one statement with a placeholder per product.
    const vectors = new Map<string, Float32Array>();
    for (let start = 0; start < productIds.length; start += FEATURE_SLICE) {
      for (const [productId, vector] of await source.vectorsOf(productIds.slice(start, start + FEATURE_SLICE))) vectors.set(productId, vector);
    }
    const dim = vectors.values().next().value?.length ?? 0;
    if (dim === 0) {
      this.log(`sequence training: no product has a ${source.name} vector yet; training on product ids alone`);
      return null;
    }
    const table = new Float32Array((productIds.length + 1) * dim);
    productIds.forEach((productId, index) => {
      const vector = vectors.get(productId);
      if (vector?.length === dim) table.set(vector, (index + 1) * dim);
    });
    await fs.writeFile(file, Buffer.from(table.buffer));
    this.log(`sequence training: side information from ${source.name} for ${vectors.size} of ${productIds.length} products`);
    return { file, dim };
  }

  private runTrainer(input: string, out: string, minutes: number, features: { file: string; dim: number } | null): Promise<void> {
    const { python, threads, minShoppers, trainerArgs = [] } = this.settings;
    const args = [SEQUENCE_TRAINER, '--sequences', input, '--out', out, '--holdout', '1', '--minutes', String(minutes)];
    if (features) args.push('--item-features', features.file, '--feature-dim', String(features.dim));
    args.push('--threads', String(threads), '--min-users', String(minShoppers), ...trainerArgs);
    return new Promise((resolve, reject) => {
      const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const errors: string[] = [];
      readline.createInterface({ input: child.stdout }).on('line', (line) => this.log(line));
      readline.createInterface({ input: child.stderr }).on('line', (line) => {
        // PyTorch's export prints tracer warnings; the last lines are what explains a failure.
        errors.push(line);
        if (errors.length > 20) errors.shift();
      });
      child.on('error', (error) =>
        reject(new Error(`could not run ${python} (${error.message}); training needs Python 3 with PyTorch (Debian: apt install python3-torch)`)),
      );
      child.on('close', (code) => {
        if (code === 0) resolve();
        else
          reject(
            new Error(
              `${path.basename(SEQUENCE_TRAINER)} exited with ${code}: ${
                errors
                  .filter((line) => !/Warning|warnings\.warn|^\s/.test(line))
                  .slice(-3)
                  .join(' / ') || errors.slice(-3).join(' / ')
              }`,
            ),
          );
      });
    });
  }

  private async prune(serving: string | null): Promise<void> {
    const kept = new Set([serving, ...(await this.store.pinnedSequenceModels())]);
    const entries = await fs.readdir(this.settings.modelDir, { withFileTypes: true });
    // Version names start with their UTC training time, so name order is age order.
    const versions = entries
      .filter((entry) => entry.isDirectory() && entry.name.startsWith('seq-'))
      .map((entry) => entry.name)
      .sort()
      .reverse();
    for (const name of versions.slice(this.settings.keep)) {
      if (!kept.has(name)) await fs.rm(path.join(this.settings.modelDir, name), { recursive: true, force: true });
    }
  }
}

/** The gate's validation shoppers: all with two products or more, or a seeded sample of `limit`. */
function gateCases(sequences: readonly string[][], limit: number): string[][] {
  return sequences.length <= limit ? [...sequences] : sampleWithoutReplacement(sequences, limit, seededRng(GATE_SEED));
}

/** HR@10 / NDCG@10 of each shopper's last product from the ones before, in this version's item ids. */
function scoreOn(model: ProductSequenceModel, sequences: readonly string[][]): Promise<NextItemMetrics> {
  const toItems = (products: readonly string[]) => products.map((productId) => model.itemOf.get(productId) ?? 0);
  const cases: NextItemCase[] = sequences.map((products) => ({
    history: toItems(products.slice(0, -1)).filter((item) => item > 0),
    target: model.itemOf.get(products.at(-1)!) ?? 0,
  }));
  return nextItemMetrics(model.model, cases);
}

function gateNote(
  candidate: NextItemMetrics,
  baseline: { version: string; metrics: NextItemMetrics | null; problem?: string } | null,
  passes: boolean,
): string {
  const figures = `validation HR@10 ${candidate.hr10.toFixed(4)}, NDCG@10 ${candidate.ndcg10.toFixed(4)} on ${candidate.cases} shoppers`;
  if (baseline === null) return `${figures}; no version served before`;
  if (baseline.metrics === null) return `${figures}; serving ${baseline.version} could not be scored (${baseline.problem}), so it is replaced`.slice(0, 500);
  return `${figures}; serving ${baseline.version} scores HR@10 ${baseline.metrics.hr10.toFixed(4)} on the same shoppers: ${passes ? 'at least as good, so it serves' : 'worse, so it does not serve'}`;
}
