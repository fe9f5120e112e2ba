import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JobName, openQueue, openQueueEvents, QueueName, type RetrainSequenceResult } from '@serendip/jobs';
import { type RowDataPacket } from 'mysql2/promise';
import { admin as signInAdmin, signUp } from '../support/gateway';
import { readStack } from '../support/stack-env';
import { waitFor } from '../support/wait';
import { FEATURE_SOURCES } from '../../subgraphs/recommendation/src/slate/candidate-sources';
import { stackDatabase, stackSql } from '../support/stack-sql';

type Shopper = Awaited<ReturnType<typeof signUp>>;
interface Slate {
  recommendationId: string;
  sequenceModelVersion: string | null;
  items: { product: { id: string }; source: string; reason: string }[];
}

/** Where a logged slate item's context features hold the sequence model's score: after the bias and the fused score, one per source. */
const SEQUENCE_FEATURE = 2 + FEATURE_SOURCES.indexOf('sequence');

/** A catalogue whose shoppers go through the products in a fixed order, the last one back to the first. */
const CYCLE = 12;
const products: string[] = [];

const SLATE = '{ recommendations(slot: HOME, first: 20) { recommendationId sequenceModelVersion items { product { id } source reason } } }';
const slateOf = async (shopper: Shopper): Promise<Slate> => {
  const response = await shopper.call<{ recommendations: Slate }>(SLATE);
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.recommendations;
};
const sequenceItems = (slate: Slate) => slate.items.filter((item) => item.source === 'sequence').map((item) => item.product.id);

/**
 * The slate's logged items that the sequence model scored, by that score, highest first. Each item
 * shows only its strongest source, and transitions predict a walk's next step too, so a source
 * label alone would hide the model's own top items; the logged context features hold every
 * source's score.
 */
async function bySequenceScore(slate: Slate): Promise<string[]> {
  const sql = await stackSql();
  try {
    const [rows] = await sql.query<RowDataPacket[]>(
      `SELECT product_id AS productId, features FROM ${stackDatabase('recommendation')}.recommendation_item WHERE slate_id = ?`,
      [slate.recommendationId],
    );
    return rows
      .map((row) => ({ productId: String(row.productId), score: (JSON.parse(String(row.features)) as number[])[SEQUENCE_FEATURE] ?? 0 }))
      .filter((item) => item.score > 0)
      .sort((a, b) => b.score - a.score)
      .map((item) => item.productId);
  } finally {
    await sql.end();
  }
}

async function view(shopper: Shopper, productIds: readonly string[], session: string): Promise<void> {
  const events = productIds.map((productId, index) => ({ type: 'VIEW', productId, sessionId: session, clientEventId: `${session}-${index}` }));
  const response = await shopper.call('mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }', { events });
  expect(response.errors).toBeUndefined();
}

/** Runs one retrain on the stack's worker, as the daily schedule does, and returns what it decided. */
async function retrain(): Promise<RetrainSequenceResult> {
  const { env } = readStack();
  const connection = { redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: env.QUEUE_PREFIX! };
  const queue = openQueue(QueueName.ModelTraining, connection);
  const events = openQueueEvents(QueueName.ModelTraining, connection);
  try {
    await events.waitUntilReady();
    const job = await queue.add(JobName.RetrainSequence, {}, { attempts: 1 });
    return await job.waitUntilFinished(events, 120_000);
  } finally {
    await events.close();
    await queue.close();
  }
}

beforeAll(async () => {
  const admin = await signInAdmin();
  const category = await admin.call<{ createCategory: { id: string } }>('mutation { createCategory(input: { name: "Sequence trail" }) { id } }');
  for (let i = 0; i < CYCLE; i++) {
    const created = await admin.call<{ createProduct: { id: string } }>('mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
      input: { sku: `E2E-SEQ-${i}`, title: `Trail stage ${i} kit`, categoryId: category.data!.createCategory.id, price: 10 + i, currency: 'EUR' },
    });
    products.push(created.data!.createProduct.id);
  }
  // Shoppers who each walk six steps of the cycle from a different start: what the model learns.
  for (let start = 0; start < CYCLE; start++) {
    const shopper = await signUp();
    await view(
      shopper,
      Array.from({ length: 6 }, (_, step) => products[(start + step) % CYCLE]!),
      `walk-${start}`,
    );
  }
}, 120_000);

describe('the sequence model on the platform', () => {
  it('a retrain on the running platform serves a new version without a restart; slates use and log it', async () => {
    const newcomer = await signUp();
    await view(newcomer, [products[2]!], 'newcomer-1');
    const before = await waitFor(
      'a first slate',
      () => slateOf(newcomer),
      (slate) => slate.items.length > 0,
    );
    expect(before.sequenceModelVersion).toBeNull();
    expect(sequenceItems(before)).toEqual([]);

    // The retrain reads the products' text vectors as side information: wait until the worker
    // has embedded the cycle's products, so that all of them have one to give.
    await waitFor(
      "the cycle's product vectors",
      async () => {
        const sql = await stackSql();
        try {
          const [rows] = await sql.query<RowDataPacket[]>(
            `SELECT COUNT(DISTINCT product_id) AS embedded FROM ${stackDatabase('catalogue')}.product_embedding WHERE product_id IN (?)`,
            [products],
          );
          return Number(rows[0]!.embedded);
        } finally {
          await sql.end();
        }
      },
      (embedded) => embedded === CYCLE,
    );
    const trained = await retrain();
    expect(trained).toMatchObject({ status: 'SERVING', baselineHr10: null });
    expect(trained.hr10).toBeGreaterThan(0);
    const version = trained.version!;
    const card = JSON.parse(await readFile(join(readStack().env.SEQUENCE_MODEL_DIR!, version, 'model.json'), 'utf8')) as {
      itemFeatures: { dim: number; itemsWithText: number } | null;
    };
    expect(card.itemFeatures?.dim).toBeGreaterThan(0);
    expect(card.itemFeatures?.itemsWithText).toBeGreaterThanOrEqual(CYCLE);

    // One event is enough for a sequence-based slate: the shopper's next event brings the worker
    // round with the new version's query, and the recommendation subgraph has loaded its index.
    await view(newcomer, [products[3]!], 'newcomer-2');
    const after = await waitFor(
      'a slate from the new version',
      () => slateOf(newcomer),
      (slate) => slate.sequenceModelVersion === version && sequenceItems(slate).length > 0,
      30_000,
    );
    const sequence = after.items.find((item) => item.source === 'sequence');
    expect(sequence?.reason).toBe('Predicted from the order of what you looked at and bought');

    const { env } = readStack();
    const sql = await stackSql();
    try {
      const [rows] = await sql.query<RowDataPacket[]>(
        `SELECT s.sequence_model_version AS logged, v.status FROM \`${env.MYSQL_DATABASE_PREFIX}_recommendation\`.recommendation_slate s
         JOIN \`${env.MYSQL_DATABASE_PREFIX}_recommendation\`.sequence_model_version v ON v.version = s.sequence_model_version WHERE s.id = ?`,
        [after.recommendationId],
      );
      expect(rows).toEqual([{ logged: version, status: 'SERVING' }]);
    } finally {
      await sql.end();
    }
  }, 180_000);

  it('a shopper with a single event gets a sequence-based slate', async () => {
    const newcomer = await signUp();
    await view(newcomer, [products[7]!], 'single');
    const slate = await waitFor(
      'a sequence-based slate',
      () => slateOf(newcomer),
      (found) => sequenceItems(found).length > 0,
      30_000,
    );
    expect((await bySequenceScore(slate)).slice(0, 3)).toContain(products[8]);
  }, 60_000);

  it("a shopper's ordered events change their slate's sequence candidates, towards what follows their latest", async () => {
    const shopper = await signUp();
    const leadsWith = (next: number) => async (slate: Slate) => (await bySequenceScore(slate)).slice(0, 3).includes(products[next]!);
    await view(shopper, [products[4]!, products[5]!], 'order-1');
    const first = await waitFor('sequence candidates led by the next step', () => slateOf(shopper), leadsWith(6), 30_000);

    await view(shopper, [products[8]!, products[9]!], 'order-2');
    const second = await waitFor('the candidates to follow the new events', () => slateOf(shopper), leadsWith(10), 30_000);
    expect(sequenceItems(second)).not.toEqual(sequenceItems(first));
    expect(sequenceItems(second)).not.toContain(products[9]);
  }, 120_000);

  it('an experiment serves two versions side by side: each arm its own version, and every slate logs the one it used', async () => {
    const admin = await signInAdmin();
    // A second version beside the first (last in this file: the tests above expect the first
    // version's predictions); served or refused by the gate, an arm can pin either.
    const second = await retrain();
    const listed = await admin.call<{ sequenceModelVersions: { version: string; status: string }[] }>('{ sequenceModelVersions(first: 2) { version status } }');
    expect(listed.errors).toBeUndefined();
    const [newest, previous] = listed.data!.sequenceModelVersions;
    expect(newest).toEqual({ version: second.version, status: second.status });
    const pins = { earlier: previous!.version, later: second.version! };

    const create = (arms: { name: string; sequenceModelVersion: string }[]) =>
      admin.call<{ createExperiment: { id: string; arms: { name: string; sequenceModelVersion: string }[] } }>(
        'mutation ($input: CreateExperimentInput!) { createExperiment(input: $input) { id arms { name sequenceModelVersion } } }',
        {
          input: {
            name: `sequence versions ${Date.now()}-${arms.length}`,
            slot: 'PRODUCT',
            arms: arms.map((arm) => ({ ...arm, policy: 'THOMPSON', exploration: 0.1 })),
          },
        },
      );
    const unknown = await create([
      { name: 'earlier', sequenceModelVersion: pins.earlier },
      { name: 'nowhere', sequenceModelVersion: 'seq-never-trained' },
    ]);
    expect(unknown.errors?.[0]).toMatchObject({
      message: 'arms[1].sequenceModelVersion: no sequence model version seq-never-trained was trained',
      extensions: { code: 'BAD_USER_INPUT' },
    });

    const created = await create(Object.entries(pins).map(([name, sequenceModelVersion]) => ({ name, sequenceModelVersion })));
    expect(created.errors).toBeUndefined();
    const experiment = created.data!.createExperiment;
    expect(experiment.arms).toEqual([
      { name: 'earlier', sequenceModelVersion: pins.earlier },
      { name: 'later', sequenceModelVersion: pins.later },
    ]);
    const started = await admin.call<{ startExperiment: { status: string } }>('mutation ($id: ID!) { startExperiment(id: $id) { status } }', {
      id: experiment.id,
    });
    expect(started.data?.startExperiment.status).toBe('RUNNING');
    try {
      const PRODUCT_SLATE =
        '{ recommendations(slot: PRODUCT, first: 20) { recommendationId sequenceModelVersion experiment { arm } items { product { id } source reason } } }';
      const seen = new Map<string, string[]>();
      // New shoppers until each arm has served two of them sequence candidates from its own version.
      for (let shopper = 0; shopper < 24 && !Object.keys(pins).every((arm) => (seen.get(arm)?.length ?? 0) >= 2); shopper++) {
        const newcomer = await signUp();
        let step = 0;
        let viewedAt = 0;
        const slate = await waitFor(
          "a slate from the arm's version",
          async () => {
            // Each event brings the worker round; one sent before it loaded the pinned versions gave no query for them.
            if (Date.now() - viewedAt > 2000) {
              await view(newcomer, [products[(shopper + step) % CYCLE]!], `arms-${shopper}-${step++}`);
              viewedAt = Date.now();
            }
            const response = await newcomer.call<{ recommendations: Slate & { experiment: { arm: string } | null } }>(PRODUCT_SLATE);
            if (!response.data) throw new Error(JSON.stringify(response.errors));
            return response.data.recommendations;
          },
          (found) =>
            found.experiment !== null && found.sequenceModelVersion === pins[found.experiment.arm as keyof typeof pins] && sequenceItems(found).length > 0,
          30_000,
        );
        seen.set(slate.experiment!.arm, [...(seen.get(slate.experiment!.arm) ?? []), slate.recommendationId]);
      }
      expect([...seen.keys()].sort()).toEqual(['earlier', 'later']);

      const { env } = readStack();
      const sql = await stackSql();
      try {
        // Every slate either arm served logs its arm's version, or none (a shopper whose query was not there yet).
        const [rows] = await sql.query<RowDataPacket[]>(
          `SELECT experiment_arm AS arm, sequence_model_version AS version, COUNT(*) AS slates FROM \`${env.MYSQL_DATABASE_PREFIX}_recommendation\`.recommendation_slate
           WHERE experiment_id = ? GROUP BY experiment_arm, sequence_model_version`,
          [experiment.id],
        );
        for (const row of rows) expect(row.version === null || row.version === (row.arm === 0 ? pins.earlier : pins.later)).toBe(true);
        expect(
          rows
            .filter((row) => row.version !== null)
            .map((row) => row.arm)
            .sort(),
        ).toEqual([0, 1]);
      } finally {
        await sql.end();
      }
    } finally {
      await admin.call('mutation ($id: ID!) { stopExperiment(id: $id) { status } }', { id: experiment.id });
    }
  }, 300_000);
});
