import { ExpiringCache } from '../src';

describe('ExpiringCache', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => (clock = 1_000));

  it('keeps a value for its time to live, then loads it again', async () => {
    const cache = new ExpiringCache<string, number>(100, 10, now);
    let loads = 0;
    const load = () => Promise.resolve(++loads);
    expect(await cache.get('a', load)).toBe(1);
    clock += 99;
    expect(await cache.get('a', load)).toBe(1);
    clock += 1;
    expect(await cache.get('a', load)).toBe(2);
  });

  it('shares one load among requests that miss together, and forgets a load that failed', async () => {
    const cache = new ExpiringCache<string, number>(100, 10, now);
    let loads = 0;
    const failing = () => {
      loads += 1;
      return Promise.reject(new Error('database away'));
    };
    await expect(Promise.all([cache.get('a', failing), cache.get('a', failing)])).rejects.toThrow('database away');
    expect(loads).toBe(1);
    expect(cache.size).toBe(0);
    expect(await cache.get('a', () => Promise.resolve(7))).toBe(7);
  });

  it('holds at most maxEntries, dropping the oldest written', async () => {
    const cache = new ExpiringCache<string, string>(1_000, 2, now);
    for (const key of ['a', 'b', 'c']) await cache.get(key, () => Promise.resolve(key.toUpperCase()));
    expect(cache.size).toBe(2);
    expect(await cache.get('a', () => Promise.resolve('reloaded'))).toBe('reloaded');
    expect(await cache.get('c', () => Promise.resolve('reloaded'))).toBe('C');
  });

  it('loads only the keys it does not hold, in one call', async () => {
    const cache = new ExpiringCache<string, number>(100, 10, now);
    const asked: string[][] = [];
    const load = (missing: string[]) => {
      asked.push(missing);
      return Promise.resolve(new Map(missing.map((key) => [key, key.length])));
    };
    expect(await cache.getMany(['a', 'bb'], load)).toEqual(
      new Map([
        ['a', 1],
        ['bb', 2],
      ]),
    );
    expect(await cache.getMany(['bb', 'ccc'], load)).toEqual(
      new Map([
        ['bb', 2],
        ['ccc', 3],
      ]),
    );
    expect(asked).toEqual([['a', 'bb'], ['ccc']]);
    // Smaller than one request's keys: the answer is whole even though the cache cannot keep it all.
    const small = new ExpiringCache<string, number>(100, 1, now);
    expect(await small.getMany(['a', 'bb', 'ccc'], load)).toEqual(
      new Map([
        ['a', 1],
        ['bb', 2],
        ['ccc', 3],
      ]),
    );
  });
});
