import { badInput, requirePositive } from './validate';

/**
 * Sums per-key counts over users after scaling each user's counts down proportionally so that their
 * total is at most `maxPerUser`; users already within the cap are unchanged. Adding or removing one
 * user then changes the result by at most `maxPerUser` in L1 (and so in L2), which is the
 * sensitivity to pass to `releaseVector`. Without the clip one heavy user could move a count
 * arbitrarily far and no finite sensitivity would be true.
 *
 * Only keys some user touched appear in the result: release over a fixed, public key domain
 * (missing keys as 0), or the presence of a key alone reveals that someone contributed to it.
 */
export function clipContributions<K>(perUser: ReadonlyMap<string, ReadonlyMap<K, number>>, maxPerUser: number): Map<K, number> {
  requirePositive(maxPerUser, 'maxPerUser');
  const totals = new Map<K, number>();
  for (const counts of perUser.values()) {
    let total = 0;
    for (const count of counts.values()) {
      // A negative count would let a user exceed the cap in L1 while their sum stays under it.
      if (!(count >= 0) || !Number.isFinite(count)) throw badInput(`per-user counts must be non-negative finite numbers, got ${count}`, 'perUser');
      total += count;
    }
    const factor = total > maxPerUser ? maxPerUser / total : 1;
    for (const [key, count] of counts) totals.set(key, (totals.get(key) ?? 0) + count * factor);
  }
  return totals;
}
