import { EventType } from './event-type';

// What EventStore's analytics aggregates return; the analytics service shapes and privatises them.

/** The funnel's steps, in order. */
export const FUNNEL_STEPS = [EventType.VIEW, EventType.CART, EventType.PURCHASE] as const;
export type FunnelStepType = (typeof FUNNEL_STEPS)[number];

export interface FunnelCounts {
  /** Events of each step, in FUNNEL_STEPS order (capped per shopper when a cap is given). */
  events: number[];
  /** Shoppers with at least one event of each step. */
  shoppers: number[];
  /** Shoppers with at least one event of each step up to and including this one. */
  reached: number[];
}

export interface ProductFunnelRow {
  productId: string;
  views: number;
  carts: number;
  purchases: number;
}

/** Events by hour of day (0-23, UTC), day of week (0 Monday … 6 Sunday) and type. */
export interface ActivityCell {
  hour: number;
  weekday: number;
  type: EventType;
  events: number;
}

export interface SessionSummary {
  sessions: number;
  meanEvents: number | null;
  medianEvents: number | null;
  meanDuration: number | null;
  medianDuration: number | null;
  bounces: number;
  purchaseSessions: number;
}

export interface SessionHistograms {
  /** Sessions with 1 … cap events, the last entry counting sessions of `cap` events or more. */
  byEvents: number[];
  /** Sessions per DURATION_BUCKETS entry. */
  byDuration: number[];
  purchaseSessions: number;
}

export interface RepeatSummary {
  purchasers: number;
  repeaters: number;
  medianGap: number | null;
}

export interface RepeatHistogram {
  purchasers: number;
  repeaters: number;
  /** Gaps between consecutive purchase days per GAP_BUCKETS entry. */
  gaps: number[];
}

export interface CategoryAffinityRow {
  categoryId: string;
  shoppers: number;
  events: number;
  purchases: number;
  buyers: number;
}

export interface CategoryTotals {
  categories: number;
  shoppers: number;
  buyers: number;
}
