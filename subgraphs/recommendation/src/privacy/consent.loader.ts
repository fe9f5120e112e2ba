import DataLoader from 'dataloader';
import type { PrivacyState, ShopperPrivacyStore } from './shopper-privacy.store';

export type PrivacyStateLoader = DataLoader<string, PrivacyState>;

/** Each shopper's privacy state, read once per request however many personalised fields ask for it. */
export function createPrivacyStateLoader(store: Pick<ShopperPrivacyStore, 'states'>): PrivacyStateLoader {
  return new DataLoader(async (userIds) => {
    const states = await store.states(userIds);
    return userIds.map((userId) => states.get(userId)!);
  });
}

/** The shoppers among `userIds` whose own data may shape what they are shown: consent given, not forgotten. */
export async function personalisedShoppers(privacy: PrivacyStateLoader, userIds: readonly string[]): Promise<Set<string>> {
  const states = await privacy.loadMany(userIds);
  const allowed = new Set<string>();
  for (const [index, state] of states.entries()) {
    if (state instanceof Error) throw state;
    if (state.personalisation) allowed.add(userIds[index]!);
  }
  return allowed;
}

/**
 * A DataLoader batch function over shoppers' personal data (interests, segments) that reads only
 * the shoppers who allow personalisation; the others get `withheld`, as if nothing were known of
 * them. Withdrawing consent deletes those rows too, but a worker or a segment refit that was
 * running at that moment can write one back; what is served never depends on that race.
 */
export function withConsent<V>(
  privacy: PrivacyStateLoader,
  read: (userIds: string[]) => Promise<ReadonlyMap<string, V>>,
  withheld: V,
): (userIds: readonly string[]) => Promise<V[]> {
  return async (userIds) => {
    const allowed = await personalisedShoppers(privacy, userIds);
    const found = allowed.size > 0 ? await read([...allowed]) : new Map<string, V>();
    return userIds.map((userId) => found.get(userId) ?? withheld);
  };
}
