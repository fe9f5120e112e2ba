/**
 * `pnpm train:sequence [--minutes N]`: trains a sequence model version on the platform's behaviour
 * events (the recommendation database), gates it against the serving version and records it, as
 * the worker's scheduled retrain does (SequenceTrainer). Every running worker and recommendation
 * replica picks a new serving version up within SEQUENCE_MODEL_POLL_MS, without a restart.
 * `--list` only prints the registry. Progress (the trainer's epochs) on stderr; the registry's
 * newest versions as a table, then one JSON line, on stdout.
 * Exit codes: 0 trained (serving or rejected by the gate), 1 failure, 2 bad arguments, 3 refused
 * for too little data, 78 bad configuration.
 */
import { ConfigError, formatColumns } from '@serendip/config';
import { MAX_TRAINING_MINUTES } from '@serendip/jobs';
import { loadWorkerConfig } from './config';
import { resolveEmbeddingModel } from '@serendip/inference';
import { productTextFeatures, SequenceTrainer, trainingSettings, type SequenceTrainingStore } from './sequence/sequence-trainer';
import { openStores } from './stores';

const USAGE = `usage: pnpm train:sequence [--minutes N] [--list]
  --minutes  training budget (default SEQUENCE_TRAIN_MINUTES); the best epoch within it is kept
  --list     print the registry's newest versions and train nothing
Settings: the worker's (MYSQL_*, SEQUENCE_MODEL_DIR, SEQUENCE_PYTHON, SEQUENCE_TRAIN_THREADS, SEQUENCE_SIDE_INFORMATION,
SEQUENCE_MIN_SHOPPERS, SEQUENCE_MIN_EVENTS, SEQUENCE_KEEP_VERSIONS, SEQUENCE_GATE_SHOPPERS, SEQUENCE_TRAINER_ARGS).`;

export function parseArguments(argv: readonly string[]): { minutes?: number; list: boolean } {
  const parsed: { minutes?: number; list: boolean } = { list: false };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--list') parsed.list = true;
    else if (arg === '--minutes') {
      const minutes = Number(argv[(index += 1)]);
      if (!(minutes > 0 && minutes <= MAX_TRAINING_MINUTES)) throw new Error(`--minutes must be a number in (0, ${MAX_TRAINING_MINUTES}]`);
      parsed.minutes = minutes;
    } else throw new Error(`unknown argument ${arg}`);
  }
  return parsed;
}

async function printRegistry(registry: SequenceTrainingStore): Promise<void> {
  const rows = await registry.recentSequenceModels(10);
  const header = ['version', 'status', 'HR@10', 'NDCG@10', 'serving before', 'its HR@10', 'shoppers', 'events', 'items', 'training s'];
  const lines = rows.map((row) => [
    row.version,
    row.status,
    row.validationHr10.toFixed(4),
    row.validationNdcg10.toFixed(4),
    row.baselineVersion ?? '-',
    row.baselineHr10 === null ? '-' : row.baselineHr10.toFixed(4),
    String(row.shoppers),
    String(row.events),
    String(row.items),
    row.trainingSeconds.toFixed(0),
  ]);
  console.log(formatColumns(header, lines));
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: ReturnType<typeof parseArguments>;
  try {
    if (argv.includes('--help')) {
      console.info(USAGE);
      return 0;
    }
    args = parseArguments(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const config = loadWorkerConfig();
  const sideInformation = config.SEQUENCE_SIDE_INFORMATION === 'text' && !args.list;
  const stores = await openStores(config, {
    productVectors: false,
    reviewAnalyses: false,
    interests: false,
    sequenceModels: true,
    productFeatures: sideInformation,
  });
  const registry = stores.sequenceModels!;
  try {
    if (args.list) {
      await printRegistry(registry);
      return 0;
    }
    const features = sideInformation && stores.products ? productTextFeatures(stores.products, resolveEmbeddingModel(config)) : undefined;
    const trainer = new SequenceTrainer(registry, trainingSettings(config, undefined, features), (line) => console.error(line));
    const result = await trainer.train(args.minutes === undefined ? {} : { minutes: args.minutes });
    if (result.status !== 'REFUSED') {
      await printRegistry(registry);
      console.log(`\nvalidation by history length (products before the validation one), ${result.version} against the version serving before:`);
      console.log(
        formatColumns(
          ['history', 'shoppers', 'HR@10', 'NDCG@10', 'serving before HR@10'],
          result.byHistory.map((bucket) => [
            bucket.history,
            String(bucket.cases),
            bucket.hr10.toFixed(4),
            bucket.ndcg10.toFixed(4),
            bucket.baselineHr10 === null ? '-' : bucket.baselineHr10.toFixed(4),
          ]),
        ),
      );
    }
    console.log(JSON.stringify(result));
    return result.status === 'REFUSED' ? 3 : 0;
  } finally {
    await stores.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof ConfigError ? error.message : `train:sequence: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(error instanceof ConfigError ? 78 : 1);
    },
  );
}
