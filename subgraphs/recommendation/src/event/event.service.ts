import { AppError, ErrorCode, type CatalogueClient } from '@serendip/federation';
import { In, QueryFailedError, type DataSource } from 'typeorm';
import { addToPopularity } from '../popularity/popularity.service';
import { isProductId } from '../product/product-id';
import { BehaviourEventEntity } from './behaviour-event.entity';
import type { TrackEventInput } from './dto/track-event.input';
import type { EventRow } from './event.store';
import { EventType, PRODUCT_EVENT_TYPES } from './event-type';
import type { TrackEventsResult } from './track-events-result.type';

export const MAX_EVENTS_PER_BATCH = 500;
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
/** Older timestamps are client clock bugs, and MariaDB DATETIME cannot hold every year anyway. */
const EARLIEST_OCCURRED_AT = Date.UTC(2000, 0, 1);
const CLIENT_EVENT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
/** A concurrent copy of the same batch, or a lock conflict on popularity rows, is retried. */
const MAX_ATTEMPTS = 3;
const RETRYABLE = new Set(['ER_DUP_ENTRY', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

type ValidEvent = Omit<EventRow, 'userId' | 'categoryId'>;

const characters = (value: string) => [...value].length;

function invalid(index: number, field: string, message: string): AppError {
  return new AppError(ErrorCode.BadUserInput, `events[${index}].${field} ${message}`, { index, field });
}

function validateEvent(input: TrackEventInput, index: number, receivedAt: Date): ValidEvent {
  const productId = input.productId ?? null;
  if (PRODUCT_EVENT_TYPES.has(input.type) && productId === null) {
    throw invalid(index, 'productId', `is required for ${input.type} events`);
  }
  if (input.type === EventType.SEARCH && productId !== null) {
    throw invalid(index, 'productId', 'must be absent for SEARCH events, which carry a query');
  }
  let query: string | null = null;
  if (input.query !== null && input.query !== undefined) {
    query = input.query.trim();
    if (characters(query) < 1 || characters(query) > 500) throw invalid(index, 'query', 'must be 1 to 500 characters');
  } else if (input.type === EventType.SEARCH) {
    throw invalid(index, 'query', 'is required for SEARCH events');
  }
  const occurredAt = input.occurredAt ?? receivedAt;
  if (occurredAt.getTime() > receivedAt.getTime() + MAX_CLOCK_SKEW_MS) {
    throw invalid(index, 'occurredAt', 'is more than 5 minutes in the future');
  }
  if (occurredAt.getTime() < EARLIEST_OCCURRED_AT) throw invalid(index, 'occurredAt', 'is before the year 2000');
  if (input.sessionId.trim() === '' || characters(input.sessionId) > 64) {
    throw invalid(index, 'sessionId', 'must be 1 to 64 characters');
  }
  if (!CLIENT_EVENT_ID.test(input.clientEventId)) {
    throw invalid(index, 'clientEventId', 'must be 1 to 64 characters of A-Z, a-z, 0-9, _ . : -');
  }
  return { type: input.type, productId, query, occurredAt, sessionId: input.sessionId, clientEventId: input.clientEventId };
}

function isRetryable(error: unknown): boolean {
  return error instanceof QueryFailedError && RETRYABLE.has(String((error.driverError as { code?: string }).code));
}

/** Records shopper behaviour sent by clients. */
export class EventService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalogue: CatalogueClient,
  ) {}

  /**
   * Validates the whole batch, checks every product with one catalogue call, then records the
   * new events and their popularity in one transaction. Any error rejects the whole batch.
   */
  async track(userId: string, inputs: TrackEventInput[]): Promise<TrackEventsResult> {
    if (inputs.length < 1 || inputs.length > MAX_EVENTS_PER_BATCH) {
      throw new AppError(ErrorCode.BadUserInput, `Send 1 to ${MAX_EVENTS_PER_BATCH} events per call`, { field: 'events' });
    }
    const receivedAt = new Date();
    const events = inputs.map((input, index) => validateEvent(input, index, receivedAt));

    const malformed = events.findIndex((event) => event.productId !== null && !isProductId(event.productId));
    if (malformed >= 0) throw this.unknownProduct(malformed, events[malformed]!.productId!);
    const products = await this.catalogue.lookup(events.flatMap((event) => (event.productId ? [event.productId] : [])));
    const rows: EventRow[] = events.map((event, index) => {
      if (event.productId === null) return { ...event, userId, categoryId: null };
      const product = products.get(event.productId);
      if (!product) throw this.unknownProduct(index, event.productId);
      return { ...event, userId, categoryId: product.categoryId };
    });

    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.record(userId, rows, receivedAt);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
      }
    }
  }

  private unknownProduct(index: number, productId: string): AppError {
    return new AppError(ErrorCode.NotFound, `events[${index}].productId: product ${productId} does not exist`, {
      index,
      field: 'productId',
      id: productId,
    });
  }

  private record(userId: string, rows: EventRow[], receivedAt: Date): Promise<TrackEventsResult> {
    return this.dataSource.transaction(async (manager) => {
      const recorded = await manager.getRepository(BehaviourEventEntity).find({
        select: { clientEventId: true },
        where: { userId, clientEventId: In([...new Set(rows.map((row) => row.clientEventId))]) },
      });
      const seen = new Set(recorded.map((event) => event.clientEventId));
      const fresh: EventRow[] = [];
      for (const row of rows) {
        if (seen.has(row.clientEventId)) continue;
        seen.add(row.clientEventId);
        fresh.push(row);
      }
      if (fresh.length > 0) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(BehaviourEventEntity)
          .values(fresh.map((row) => ({ ...row, receivedAt })))
          .updateEntity(false)
          .execute();
        await addToPopularity(manager, fresh, receivedAt);
      }
      return { accepted: fresh.length, duplicates: rows.length - fresh.length };
    });
  }
}
