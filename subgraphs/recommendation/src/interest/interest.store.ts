import { decodeVector, encodeVector } from '@serendip/jobs';
import type { InterestProfile } from '@serendip/recsys';
import type { DataSource, EntityManager } from 'typeorm';
import { EventStore, type InterestEvent } from '../event/event.store';
import { InterestProfileEntity } from './interest-profile.entity';

/** InterestProfile as stored: vectors as base64 float32 (encodeVector). */
interface StoredProfile {
  interests: (Omit<InterestProfile['interests'][number], 'centroid'> & { centroid: string })[];
  avoid: { centroid: string; strength: number }[];
}

/** What the sequence model made of the shopper's history: a query vector in one version's space. */
export interface SequenceQuery {
  version: string;
  query: Float32Array;
}

export interface SavedProfile {
  userId: string;
  profile: InterestProfile;
  signals: number;
  model: string;
  modelVersion: string;
  updatedAt: Date;
  /**
   * One query per sequence model version served when the profile was saved (the serving one and
   * those experiments pin); none for a version that knows none of the shopper's products.
   */
  sequenceQueries: SequenceQuery[];
}

/** How many of a shopper's newest events shape their interests. */
export const INTEREST_WINDOW = 200;
/**
 * A product shown in this many different hours without a click counts as a negative signal.
 * Hours, not slates: a live page can receive a dozen slates in a minute, and a product in all of
 * them was passed over once, not a dozen times.
 */
export const SKIPPED_IMPRESSIONS = 3;
/** How far back skipped impressions are looked for. */
const SKIP_WINDOW_MS = 14 * 24 * 3600 * 1000;

function encode(profile: InterestProfile): string {
  const stored: StoredProfile = {
    interests: profile.interests.map((interest) => ({ ...interest, centroid: encodeVector(interest.centroid) })),
    avoid: profile.avoid.map((avoid) => ({ centroid: encodeVector(avoid.centroid), strength: avoid.strength })),
  };
  return JSON.stringify(stored);
}

function decode(text: string): InterestProfile {
  const stored = JSON.parse(text) as StoredProfile;
  return {
    interests: stored.interests.map((interest) => ({ ...interest, centroid: decodeVector(interest.centroid) })),
    avoid: stored.avoid.map((avoid) => ({ centroid: decodeVector(avoid.centroid), strength: avoid.strength })),
  };
}

/** Queries as stored: a JSON object from version to base64 float32 (encodeVector). */
function encodeQueries(queries: readonly SequenceQuery[]): string {
  return JSON.stringify(Object.fromEntries(queries.map(({ version, query }) => [version, encodeVector(query)])));
}

function decodeQueries(text: string): SequenceQuery[] {
  return Object.entries(JSON.parse(text) as Record<string, string>).map(([version, query]) => ({ version, query: decodeVector(query) }));
}

/** An `interest_profile` row as `InterestStore.load` and the slate's signals read it (`profileColumns`). */
export type ProfileRow = Omit<SavedProfile, 'profile' | 'sequenceQueries'> & { profile: string; sequenceQueries: string };

/** The columns of a ProfileRow, of `interest_profile` under the given alias. */
export const profileColumns = (table: string) =>
  `${table}.user_id AS userId, ${table}.profile, ${table}.signals, ${table}.model, ${table}.model_version AS modelVersion, ${table}.updated_at AS updatedAt, ${table}.sequence_queries AS sequenceQueries`;

export const savedProfileOf = ({ profile, sequenceQueries, ...row }: ProfileRow): SavedProfile => ({
  ...row,
  profile: decode(profile),
  sequenceQueries: decodeQueries(sequenceQueries),
});

/**
 * Interest profiles in the recommendation database (`interest_profile`). The worker writes them
 * (it has the models); the subgraph reads them to rank. Both go through this class, so the stored
 * shape has one owner. The events recognition reads come from EventStore, through here, so the
 * worker needs this one class.
 */
export class InterestStore {
  private readonly events: EventStore;

  constructor(private readonly dataSource: DataSource) {
    this.events = new EventStore(dataSource);
  }

  async save(saved: SavedProfile): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(InterestProfileEntity)
      .values({
        userId: saved.userId,
        profile: encode(saved.profile),
        signals: saved.signals,
        model: saved.model,
        modelVersion: saved.modelVersion,
        updatedAt: saved.updatedAt,
        sequenceQueries: encodeQueries(saved.sequenceQueries),
      })
      .orUpdate(['profile', 'signals', 'model', 'model_version', 'updated_at', 'sequence_queries'], ['user_id'])
      .updateEntity(false)
      .execute();
  }

  async load(userIds: readonly string[]): Promise<Map<string, SavedProfile>> {
    if (userIds.length === 0) return new Map();
    // Plain SQL: every slate reads one profile, and the entity manager's query building and
    // hydration cost more than the read itself.
    const rows: ProfileRow[] = await this.dataSource.query(`SELECT ${profileColumns('interest_profile')} FROM interest_profile WHERE user_id IN (?)`, [
      userIds,
    ]);
    return new Map(rows.map((row) => [row.userId, savedProfileOf(row)]));
  }

  /** Every stored profile, for segmentation. */
  async all(): Promise<{ userId: string; profile: InterestProfile }[]> {
    const rows = await this.dataSource.getRepository(InterestProfileEntity).find({ select: { userId: true, profile: true } });
    return rows.map((row) => ({ userId: row.userId, profile: decode(row.profile) }));
  }

  /** Deletes the shopper's profile, in the caller's transaction when one is given; returns how many rows went. */
  async remove(userId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    return (await manager.getRepository(InterestProfileEntity).delete({ userId })).affected ?? 0;
  }

  /** The shopper's newest INTEREST_WINDOW events, newest first. */
  recentEvents(userId: string): Promise<InterestEvent[]> {
    return this.events.interestEvents(userId, INTEREST_WINDOW);
  }

  /**
   * Products shown to the shopper in at least SKIPPED_IMPRESSIONS different hours lately that they
   * never clicked, carted or bought: repeatedly passed over, so a mild negative signal.
   */
  skippedProducts(userId: string, now: Date): Promise<{ productId: string; impressions: number; lastShownAt: Date }[]> {
    return this.events.skippedProducts(userId, new Date(now.getTime() - SKIP_WINDOW_MS), SKIPPED_IMPRESSIONS);
  }
}
