import { isRowId } from '@serendip/db';
import { AppError, ErrorCode, type CatalogueClient } from '@serendip/federation';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { countedEvents, freshPairs, historyWindow } from '../cooccurrence/cooccurrence-pairs';
import type { CooccurrenceStore } from '../cooccurrence/cooccurrence.store';
import type { InterestRequest, InterestRequestStore } from '@serendip/jobs';
import type { PopularityStore } from '../popularity/popularity.store';
import type { SlateLogStore } from '../slate/slate-log.store';
import { freshTransitions } from '../transitions/transition-pairs';
import type { TransitionStore } from '../transitions/transition.store';
import type { RecommendationSlot } from '../slate/slot';
import { contributionPeriod, countedFlags } from './contribution-cap';
import type { TrackEventInput } from './dto/track-event.input';
import type { EventRow, EventStore } from './event.store';
import { EventType, PRODUCT_EVENT_TYPES } from './event-type';
import type { TrackEventsResult } from './track-events-result.type';

export const MAX_EVENTS_PER_BATCH = 500;
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
/** Older timestamps are client clock bugs, and MariaDB DATETIME cannot hold every year anyway. */
export const EARLIEST_OCCURRED_AT = Date.UTC(2000, 0, 1);
const CLIENT_EVENT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Events that can follow from a recommendation (and so name one). */
const ATTRIBUTABLE = new Set<EventType>([EventType.CLICK, EventType.CART, EventType.PURCHASE]);
/**
 * A concurrent copy of the same batch, or a lock conflict (the locking reads take gap locks on
 * behaviour_event, so shoppers whose ids sort side by side can deadlock), is retried after a short
 * random pause: retried at once, the same transactions tend to meet again.
 */
const MAX_ATTEMPTS = 5;
const RETRY_PAUSE_MS = 25;
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
  const recommendationId = input.recommendationId ?? null;
  if (recommendationId !== null) {
    if (!ATTRIBUTABLE.has(input.type)) throw invalid(index, 'recommendationId', 'is only for CLICK, CART and PURCHASE events');
    if (!UUID.test(recommendationId)) throw invalid(index, 'recommendationId', 'is not a recommendationId');
  }
  return {
    type: input.type,
    productId,
    query,
    occurredAt,
    sessionId: input.sessionId,
    clientEventId: input.clientEventId,
    recommendationId: recommendationId?.toLowerCase() ?? null,
  };
}

function isRetryable(error: unknown): boolean {
  return error instanceof QueryFailedError && RETRYABLE.has(String((error.driverError as { code?: string }).code));
}

/** Told about every shopper whose events were recorded, after the commit. */
export interface EventListener {
  /** The recorded events that name a served slate (for the bandits' rewards). */
  attributed(userId: string, events: readonly AttributedEvent[]): void;
  /**
   * Something new was recorded for the shopper: their interests need recomputing, and the request
   * for it was stored with the events (the outbox row to queue).
   */
  recorded(request: InterestRequest): Promise<void>;
}

export interface AttributedEvent {
  type: EventType;
  productId: string;
  slot: RecommendationSlot;
  features: number[];
}

/** The tables one tracked batch touches: the log, the aggregates kept in step with it, and the slate log its events credit. */
export interface EventServiceStores {
  events: EventStore;
  popularity: PopularityStore;
  cooccurrence: CooccurrenceStore;
  transitions: TransitionStore;
  slateLog: SlateLogStore;
  /** The outbox row asking for the shopper's interest update, written with their new events. */
  interestRequests: InterestRequestStore;
}

/** What recording a batch did: the result, or null when its claim found it recorded already (nothing was written). */
export type RecordOutcome = TrackEventsResult | null;

/** Records shopper behaviour sent by clients, and the purchases of signed orders. */
export class EventService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stores: EventServiceStores,
    private readonly catalogue: CatalogueClient,
    private readonly listener?: EventListener,
  ) {}

  /**
   * Validates the whole batch, checks every product with one catalogue call, then records the
   * new events and their popularity in one transaction. Any error rejects the whole batch. A
   * PURCHASE sent this way is the client's word: kept as a signal, with no value (no revenue).
   */
  async track(userId: string, inputs: TrackEventInput[]): Promise<TrackEventsResult> {
    if (inputs.length < 1 || inputs.length > MAX_EVENTS_PER_BATCH) {
      throw new AppError(ErrorCode.BadUserInput, `Send 1 to ${MAX_EVENTS_PER_BATCH} events per call`, { field: 'events' });
    }
    const receivedAt = new Date();
    const events = inputs.map((input, index) => validateEvent(input, index, receivedAt));

    const malformed = events.findIndex((event) => event.productId !== null && !isRowId(event.productId));
    if (malformed >= 0) throw this.unknownProduct(malformed, events[malformed]!.productId!);
    const products = await this.catalogue.lookup(events.flatMap((event) => (event.productId ? [event.productId] : [])));
    const rows: EventRow[] = events.map((event, index) => {
      if (event.productId === null) return { ...event, userId, categoryId: null };
      const product = products.get(event.productId);
      if (!product) throw this.unknownProduct(index, event.productId);
      return { ...event, userId, categoryId: product.categoryId };
    });
    return (await this.recordBatch(userId, rows, await this.attributions(userId, rows), receivedAt))!;
  }

  /**
   * Records the rows of one shopper (their new events, by clientEventId) with what they add to the
   * shared statistics, in one transaction, retried on a lock conflict; then tells the listener.
   * `claim`, when given, runs first in the transaction: false means the batch is recorded already
   * (an order replayed), and nothing is written.
   */
  async recordBatch(
    userId: string,
    rows: EventRow[],
    attributions: Map<string, { slot: RecommendationSlot; features: number[] }>,
    receivedAt: Date,
    claim?: (manager: EntityManager) => Promise<boolean>,
  ): Promise<RecordOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const recorded = await this.record(userId, rows, receivedAt, claim);
        if (!recorded) return null;
        const { result, firstActions, interestRequest } = recorded;
        if (interestRequest && this.listener) {
          // A slate item is credited once per kind of action: a click repeated on it rewards nothing more.
          const attributed = firstActions.flatMap((row) => {
            const served = row.recommendationId ? attributions.get(`${row.recommendationId}/${row.productId}`) : undefined;
            return served ? [{ type: row.type, productId: row.productId!, ...served }] : [];
          });
          if (attributed.length > 0) this.listener.attributed(userId, attributed);
          await this.listener.recorded(interestRequest);
        }
        return result;
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * RETRY_PAUSE_MS * attempt));
      }
    }
  }

  /**
   * The slate items the events' recommendationIds name, keyed `<recommendationId>/<productId>`.
   * An id that names no slate shown to this shopper with that product is refused: a page that
   * sends it back has mixed up its slates, and crediting the wrong policy would skew its learning.
   */
  async attributions(userId: string, rows: readonly EventRow[]): Promise<Map<string, { slot: RecommendationSlot; features: number[] }>> {
    const ids = [...new Set(rows.flatMap((row) => (row.recommendationId ? [row.recommendationId] : [])))];
    if (ids.length === 0) return new Map();
    const served = await this.stores.slateLog.servedItems(userId, ids);
    const found = new Map(served.map((item) => [`${item.slateId}/${item.productId}`, { slot: item.slot, features: item.features }]));
    rows.forEach((row, index) => {
      if (row.recommendationId && !found.has(`${row.recommendationId}/${row.productId}`)) {
        throw new AppError(ErrorCode.BadUserInput, `events[${index}].recommendationId names no slate that showed you product ${row.productId}`, {
          index,
          field: 'recommendationId',
        });
      }
    });
    return found;
  }

  private unknownProduct(index: number, productId: string): AppError {
    return new AppError(ErrorCode.NotFound, `events[${index}].productId: product ${productId} does not exist`, {
      index,
      field: 'productId',
      id: productId,
    });
  }

  /**
   * Records the batch's new events (by clientEventId); `firstActions` are those that are the first of
   * their kind (CLICK, CART, PURCHASE) on a slate item and count under the contribution cap, the
   * only ones that earn it credit. Only counted events add to popularity and the item graphs.
   */
  private record(
    userId: string,
    rows: EventRow[],
    receivedAt: Date,
    claim?: (manager: EntityManager) => Promise<boolean>,
  ): Promise<{ result: TrackEventsResult; firstActions: EventRow[]; interestRequest: InterestRequest | null } | null> {
    const { events, popularity } = this.stores;
    return this.dataSource.transaction(async (manager) => {
      if (claim && !(await claim(manager))) return null;
      const seen = await events.recordedClientEventIds(
        manager,
        userId,
        rows.map((row) => row.clientEventId),
      );
      const fresh: EventRow[] = [];
      for (const row of rows) {
        if (seen.has(row.clientEventId)) continue;
        seen.add(row.clientEventId);
        fresh.push(row);
      }
      const period = contributionPeriod(receivedAt, events.cap);
      const earlier = await events.contributions(
        manager,
        userId,
        fresh.flatMap((row) => (row.productId ? [row.productId] : [])),
        period,
      );
      const flags = countedFlags(fresh, earlier, events.cap);
      // Events about no product (searches) feed no shared statistic; they keep the column's default.
      fresh.forEach((row, index) => (row.counted = row.productId === null || flags[index]!));
      const counted = fresh.filter((row) => row.productId !== null && row.counted);
      const acted = await events.slateItemActions(
        manager,
        userId,
        fresh.flatMap((row) => (row.recommendationId ? [row.recommendationId] : [])),
      );
      const firstActions = fresh.filter((row) => {
        if (!row.recommendationId || !row.counted) return false;
        const action = `${row.type}/${row.recommendationId}/${row.productId}`;
        if (acted.has(action)) return false;
        acted.add(action);
        return true;
      });
      let interestRequest: InterestRequest | null = null;
      if (fresh.length > 0) {
        await events.insert(manager, fresh, receivedAt);
        await popularity.add(manager, counted, receivedAt);
        await this.addItemPairs(manager, userId, counted, receivedAt);
        interestRequest = await this.stores.interestRequests.request(manager, userId, receivedAt);
      }
      return { result: { accepted: fresh.length, duplicates: rows.length - fresh.length }, firstActions, interestRequest };
    });
  }

  /**
   * Pairs the fresh counted events with the shopper's stored counted history before them
   * (co-occurrence both ways, transitions from earlier to later), in the transaction that inserted
   * them, so neither table drifts from the log.
   */
  private async addItemPairs(manager: EntityManager, userId: string, fresh: readonly EventRow[], at: Date): Promise<void> {
    const counted = countedEvents(fresh);
    if (counted.length === 0) return;
    const { from, before, limit } = historyWindow(counted);
    const history = await this.stores.events.productEventsBefore(manager, userId, from, before, limit);
    await this.stores.cooccurrence.add(manager, freshPairs(history, counted), at);
    await this.stores.transitions.add(manager, freshTransitions(history, counted), at);
  }
}
