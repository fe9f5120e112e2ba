import { Redis } from 'ioredis';
import { type Connection } from 'mysql2/promise';
import { randomBytes, randomUUID } from 'node:crypto';
import { signAccessToken, verifyAccessToken } from '@serendip/federation';
import { admin as signInAdmin, gatewayClient, signUp } from '../support/gateway';
import { readStack } from '../support/stack-env';
import { waitFor } from '../support/wait';
import { stackSql } from '../support/stack-sql';

type Shopper = Awaited<ReturnType<typeof signUp>>;

let sql: Connection;
let redis: Redis;
const products: string[] = [];

/** Tables that keep a forgotten shopper's id on purpose: the tombstone that stops an old token writing again. */
const TOMBSTONES = new Set(['shopper_privacy', 'forgotten_shopper']);

/** Every text-like column of every table of the stack's databases that holds one of `needles`, as `db.table.column`. */
async function rowsMentioning(needles: readonly string[]): Promise<string[]> {
  const prefix = readStack().env.MYSQL_DATABASE_PREFIX!;
  const [columns] = await sql.query<({ db: string; tbl: string; col: string } & import('mysql2').RowDataPacket)[]>(
    `SELECT table_schema AS db, table_name AS tbl, column_name AS col FROM information_schema.columns
     WHERE table_schema LIKE ? AND data_type IN ('char', 'varchar', 'text', 'mediumtext', 'longtext', 'json')`,
    [`${prefix}\\_%`],
  );
  const found: string[] = [];
  for (const { db, tbl, col } of columns) {
    for (const needle of needles) {
      const [rows] = await sql.query<({ n: number } & import('mysql2').RowDataPacket)[]>(
        `SELECT COUNT(*) AS n FROM \`${db}\`.\`${tbl}\` WHERE \`${col}\` LIKE ?`,
        [`%${needle}%`],
      );
      if (Number(rows[0]!.n) > 0) found.push(`${db}.${tbl}.${col}`);
    }
  }
  return found;
}

/**
 * Every Redis key whose name or value holds one of `needles` (ids nobody else has: the shopper's,
 * the marker), or, among the stack's own queue keys, one of `local` (review ids, which every
 * database numbers from 1, so a demo's queues on the same Redis hold the same ones).
 */
async function keysMentioning(needles: readonly string[], local: readonly string[] = []): Promise<string[]> {
  const found: string[] = [];
  const queuePrefix = `${readStack().env.QUEUE_PREFIX!}:`;
  const mentions = (key: string, values: string[]) =>
    values.some((value) => needles.some((needle) => value.includes(needle)) || (key.startsWith(queuePrefix) && local.some((needle) => value.includes(needle))));
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      const values: string[] = [key];
      if (type === 'string') values.push((await redis.get(key)) ?? '');
      else if (type === 'hash') values.push(...Object.entries(await redis.hgetall(key)).flat());
      else if (type === 'list') values.push(...(await redis.lrange(key, 0, -1)));
      else if (type === 'set') values.push(...(await redis.smembers(key)));
      else if (type === 'zset') values.push(...(await redis.zrange(key, 0, -1)));
      else if (type === 'stream') values.push(...(await redis.xrange(key, '-', '+')).flatMap(([id, fields]) => [id, ...fields]));
      if (mentions(key, values)) found.push(key);
    }
  } while (cursor !== '0');
  return found;
}

const PROFILE = '{ me { id interestProfile { interests { weight } } } }';
const hasProfile = (shopper: Shopper) =>
  shopper.call<{ me: { interestProfile: { interests: unknown[] } | null } }>(PROFILE).then((reply) => reply.data?.me.interestProfile ?? null);

async function browse(shopper: Shopper, tag: string): Promise<void> {
  const tracked = await shopper.call('mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }', {
    events: [
      { type: 'SEARCH', query: 'trail kettle', sessionId: tag, clientEventId: `${tag}-1` },
      { type: 'VIEW', productId: products[0], sessionId: tag, clientEventId: `${tag}-2` },
      { type: 'CART', productId: products[0], sessionId: tag, clientEventId: `${tag}-3` },
      { type: 'VIEW', productId: products[1], sessionId: tag, clientEventId: `${tag}-4` },
    ],
  });
  expect(tracked.errors).toBeUndefined();
}

beforeAll(async () => {
  const { env } = readStack();
  sql = await stackSql();
  redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const admin = await signInAdmin();
  const run = randomBytes(3).toString('hex');
  const category = await admin.call<{ createCategory: { id: string } }>('mutation ($name: String!) { createCategory(input: { name: $name }) { id } }', {
    name: `Kettles ${run}`,
  });
  for (const title of ['Camping kettle', 'Trail stove']) {
    const product = await admin.call<{ createProduct: { id: string } }>('mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
      input: { sku: `E2E-PRIV-${run}-${products.length}`, title, categoryId: category.data!.createCategory.id, price: 30, currency: 'EUR', tags: [] },
    });
    products.push(product.data!.createProduct.id);
  }
});

afterAll(async () => {
  await sql?.end();
  redis?.disconnect();
});

describe('privacy through the gateway', () => {
  it('forgetMe leaves no row, vector, log, cache entry or job of the shopper in any store, and the old token writes nothing', async () => {
    const shopper = await signUp();
    const marker = `forget-marker-${randomBytes(4).toString('hex')}`;
    await browse(shopper, marker);
    const slate = await shopper.call<{ recommendations: { recommendationId: string } }>('{ recommendations(first: 5) { recommendationId } }');
    expect(slate.errors).toBeUndefined();
    const review = await shopper.call<{ submitReview: { id: string } }>('mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id } }', {
      input: { productId: products[0], rating: 2, text: `The lid rattles and the handle got hot. ${marker}` },
    });
    expect(review.errors).toBeUndefined();
    const reviewId = review.data!.submitReview.id;
    // The worker has built the profile and analysed (embedded) the review before the shopper leaves.
    await waitFor(
      'an interest profile',
      () => hasProfile(shopper),
      (profile) => profile !== null,
    );
    await waitFor(
      'the review analysis',
      () => shopper.call<{ review: { analysis: { status: string } } }>('query ($id: ID!) { review(id: $id) { analysis { status } } }', { id: reviewId }),
      (reply) => reply.data?.review.analysis.status === 'DONE',
    );
    // The scans below find the shopper before they leave, so their empty answers afterwards mean something.
    const needles = [shopper.userId, marker];
    const local = [`analyse-review/${reviewId}/`, `"reviewId":"${reviewId}"`];
    expect(await rowsMentioning([shopper.userId])).not.toEqual([]);
    expect(await keysMentioning(needles)).not.toEqual([]);
    expect(await keysMentioning([], local)).not.toEqual([]);

    const forgotten = await shopper.call<{ forgetMe: Record<string, number | string> }>(
      'mutation { forgetMe { userId events interestProfiles slates reviews jobs } }',
    );
    expect(forgotten.errors).toBeUndefined();
    expect(forgotten.data!.forgetMe).toMatchObject({ userId: shopper.userId, events: 4, interestProfiles: 1, reviews: 1 });
    expect(forgotten.data!.forgetMe.slates).toBeGreaterThanOrEqual(1);

    // Only the tombstones name the shopper; nothing anywhere holds the review, its text or its jobs.
    const left = await rowsMentioning([shopper.userId]);
    expect(left.filter((place) => !TOMBSTONES.has(place.split('.')[1]!))).toEqual([]);
    expect(await rowsMentioning([marker])).toEqual([]);
    const [analyses] = await sql.query<({ n: number } & import('mysql2').RowDataPacket)[]>(
      `SELECT COUNT(*) AS n FROM \`${readStack().env.MYSQL_DATABASE_PREFIX}_feedback\`.review_analysis WHERE review_id = ?`,
      [reviewId],
    );
    expect(Number(analyses[0]!.n)).toBe(0);
    // One key names the shopper: the revocation of their tokens, which must outlive them, and only them.
    const revocation = `${readStack().env.QUEUE_PREFIX!}:auth:user:${shopper.userId}`;
    expect(await keysMentioning(needles, local)).toEqual([revocation]);
    const ttl = await redis.ttl(revocation);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(Number(readStack().env.JWT_TTL_SECONDS ?? 900));

    // The shopper's token is revoked at the gateway: neither forgetMe again nor anything else runs.
    for (const query of ['{ me { id } }', 'mutation { forgetMe { userId } }']) {
      const refused = await shopper.call(query);
      expect(refused.status).toBe(401);
      expect(refused.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'REVOKED' });
    }
    // Should a token outlive the revocation (Redis lost it before the token expired), the
    // subgraphs' tombstones still refuse: it reads and writes nothing of the deleted account.
    const claims = verifyAccessToken(readStack().env.JWT_SECRET!, shopper.token);
    if (!claims.ok) throw new Error('the shopper token did not verify');
    const survivor = gatewayClient(
      signAccessToken(readStack().env.JWT_SECRET!, { ...claims, sessionId: randomUUID(), version: claims.version + 1 }, 600).token,
    );
    const me = await survivor<{ me: unknown }>('{ me { id } }');
    expect(me.data?.me).toBeNull();
    const track = await survivor('mutation { trackEvents(events: [{ type: SEARCH, query: "again", sessionId: "x", clientEventId: "again-1" }]) { accepted } }');
    expect(track.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const again = await survivor('mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id } }', {
      input: { productId: products[1], rating: 5, text: 'Back again' },
    });
    expect(again.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const slateAgain = await survivor('{ recommendations(first: 5) { recommendationId } }');
    expect(slateAgain.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await rowsMentioning([shopper.userId])).filter((place) => !TOMBSTONES.has(place.split('.')[1]!))).toEqual([]);
  });

  it('shows a shopper what is believed about them and the signals behind it, and lets them remove an interest for good', async () => {
    const shopper = await signUp();
    await browse(shopper, `transparent-${randomBytes(3).toString('hex')}`);
    await waitFor(
      'an interest profile',
      () => hasProfile(shopper),
      (profile) => profile !== null,
    );
    const SUMMARY = `{ me { behaviourSummary { personalisation profileUpdatedAt interests { label signals }
      removedInterests { label } signals { events { type count } window passedOver since lastAt } } } }`;
    interface Summary {
      personalisation: boolean;
      profileUpdatedAt: string;
      interests: { label: string; signals: number }[];
      removedInterests: { label: string }[];
      signals: { events: { type: string; count: number }[]; window: number };
    }
    const read = async () => (await shopper.call<{ me: { behaviourSummary: Summary } }>(SUMMARY)).data!.me.behaviourSummary;
    const before = await read();
    expect(before.personalisation).toBe(true);
    expect(before.interests.length).toBeGreaterThan(0);
    expect(Object.fromEntries(before.signals.events.map((entry) => [entry.type, entry.count]))).toEqual({ VIEW: 2, CART: 1, SEARCH: 1 });

    const removedLabel = before.interests[0]!.label;
    const removed = await shopper.call<{ removeInterest: Summary }>('mutation { removeInterest(index: 0) { interests { label } removedInterests { label } } }');
    expect(removed.errors).toBeUndefined();
    expect(removed.data!.removeInterest.interests).toHaveLength(before.interests.length - 1);
    expect(removed.data!.removeInterest.removedInterests).toEqual([{ label: removedLabel }]);

    // New events on the same products: the worker recognises interests again, without the removed one.
    const trackedAt = Date.now();
    const tracked = await shopper.call('mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }', {
      events: [{ type: 'PURCHASE', productId: products[0], sessionId: 'again', clientEventId: `again-${randomBytes(3).toString('hex')}` }],
    });
    expect(tracked.errors).toBeUndefined();
    // A recognition that started after the purchase (one already running may finish with the old interests).
    const after = await waitFor('a recomputed profile', read, (summary) => Date.parse(summary.profileUpdatedAt) >= trackedAt);
    expect(after.interests.map((interest) => interest.label)).not.toContain(removedLabel);

    const wrong = await shopper.call('mutation { removeInterest(index: 99) { interests { label } } }');
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'index' });
  });

  it('builds no profile without consent, deletes one when consent is withdrawn, and serves only non-personal slates meanwhile', async () => {
    const consenting = await signUp();
    const declining = await signUp();
    const off = await declining.call<{ updateConsent: { consent: { personalisation: boolean } } }>(
      'mutation { updateConsent(personalisation: false) { consent { personalisation } } }',
    );
    expect(off.errors).toBeUndefined();
    expect(off.data!.updateConsent.consent.personalisation).toBe(false);

    await browse(declining, `declining-${randomBytes(3).toString('hex')}`);
    await browse(consenting, `consenting-${randomBytes(3).toString('hex')}`);
    // The same events through the same pipeline: the consenting shopper's profile appears, the other's never does.
    await waitFor(
      "the consenting shopper's profile",
      () => hasProfile(consenting),
      (profile) => profile !== null,
    );
    expect(await hasProfile(declining)).toBeNull();
    const [profiles] = await sql.query<({ n: number } & import('mysql2').RowDataPacket)[]>(
      `SELECT COUNT(*) AS n FROM \`${readStack().env.MYSQL_DATABASE_PREFIX}_recommendation\`.interest_profile WHERE user_id = ?`,
      [declining.userId],
    );
    expect(Number(profiles[0]!.n)).toBe(0);
    const slate = await declining.call<{ recommendations: { items: { source: string }[] } }>('{ recommendations(slot: CART, first: 10) { items { source } } }');
    expect(slate.errors).toBeUndefined();
    for (const item of slate.data!.recommendations.items) expect(['trending', 'fresh']).toContain(item.source);

    const withdrawn = await consenting.call('mutation { updateConsent(personalisation: false) { id } }');
    expect(withdrawn.errors).toBeUndefined();
    expect(await hasProfile(consenting)).toBeNull();
  });
});
