import { postGraphQL } from '@serendip/testing';
import { loadGatewayConfig } from '../src/config';
import { connectionRefused, ReplicaSet } from '../src/replicas';
import { deadUrl, fakeSubgraph, json, withGateway as withTestGateway } from './support/harness';

const HEADERS = { 'x-serendip-csrf': '1' };
const ME = { data: { me: { __typename: 'User', id: '7' } } };

/** A development gateway that never retries, so each call a test counts is one request. */
const withGateway = (settings: Record<string, string>, check: (url: string) => Promise<void>) =>
  withTestGateway({ NODE_ENV: 'development', SUBGRAPH_RETRIES: '0', ...settings }, check, { quiet: true });

/** What Node's fetch throws when nothing listens: a TypeError whose cause is the refused connection. */
const refusal = () => new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });

describe('a subgraph URL setting with several replicas', () => {
  it('is parsed into its URLs, and a bad one is named', () => {
    const config = loadGatewayConfig({ RECOMMENDATION_URL: 'http://127.0.0.1:4003/graphql, http://127.0.0.1:4013/graphql' });
    expect(config.RECOMMENDATION_URL).toEqual(['http://127.0.0.1:4003/graphql', 'http://127.0.0.1:4013/graphql']);
    expect(config.USER_URL).toEqual(['http://127.0.0.1:4001/graphql']);
    expect(() => loadGatewayConfig({ RECOMMENDATION_URL: 'http://127.0.0.1:4003/graphql,,' })).toThrow(/RECOMMENDATION_URL/);
  });
});

describe('ReplicaSet', () => {
  it('takes the replicas in turn, passing over one that refused a connection until its pause is over', async () => {
    let now = 0;
    const set = new ReplicaSet(['a', 'b', 'c'], 1000, () => now);
    expect([set.pick(), set.pick(), set.pick(), set.pick()]).toEqual([0, 1, 2, 0]);
    await expect(set.send((index) => (index === 1 ? Promise.reject(refusal()) : Promise.resolve(index)), 1)).resolves.toBe(2);
    expect([set.pick(), set.pick(), set.pick(), set.pick()]).toEqual([2, 2, 0, 2]);
    now = 1000;
    expect([set.pick(), set.pick(), set.pick()]).toEqual([2, 0, 1]);
  });

  it('sends a refused call to every other replica, then fails with the refusal; any other failure is not sent again', async () => {
    const set = new ReplicaSet(['a', 'b', 'c']);
    const tried: number[] = [];
    const failure = refusal();
    await expect(
      set.send((index) => {
        tried.push(index);
        return Promise.reject(failure);
      }, 1),
    ).rejects.toBe(failure);
    expect(tried).toEqual([1, 2, 0]);
    // Every replica is paused now; calls still go round them rather than nowhere.
    expect([set.pick(), set.pick(), set.pick()]).toEqual([0, 1, 2]);

    const other = new ReplicaSet(['a', 'b']);
    let calls = 0;
    await expect(
      other.send(() => {
        calls += 1;
        return Promise.reject(new Error('socket hang up'));
      }),
    ).rejects.toThrow('socket hang up');
    expect(calls).toBe(1);
  });

  it('recognises a refused connection however it is wrapped', () => {
    expect(connectionRefused(refusal())).toBe(true);
    // Node trying both addresses of localhost.
    expect(
      connectionRefused(new AggregateError([Object.assign(new Error(), { code: 'ECONNREFUSED' }), Object.assign(new Error(), { code: 'ECONNREFUSED' })])),
    ).toBe(true);
    expect(connectionRefused(new TypeError('fetch failed', { cause: Object.assign(new Error(), { code: 'ECONNRESET' }) }))).toBe(false);
    expect(connectionRefused(new Error('timeout'))).toBe(false);
  });
});

describe('the gateway over replicas', () => {
  it('sends each call to the next replica in turn', async () => {
    const replicas = [await fakeSubgraph((res) => json(res, ME)), await fakeSubgraph((res) => json(res, ME))];
    try {
      await withGateway({ USER_URL: replicas.map((replica) => replica.url).join(',') }, async (url) => {
        for (let i = 0; i < 6; i += 1) expect((await postGraphQL(url, '{ me { id } }', {}, HEADERS)).data).toEqual({ me: { id: '7' } });
        expect(replicas.map((replica) => replica.received.length)).toEqual([3, 3]);
      });
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });

  it('sends a query or a mutation that a stopped replica refused to a running one, which then takes every call', async () => {
    const running = await fakeSubgraph((res, query) => json(res, query.startsWith('mutation') ? { data: { signOut: true } } : ME));
    try {
      await withGateway({ USER_URL: `${await deadUrl()},${running.url}` }, async (url) => {
        const mutation = await postGraphQL(url, 'mutation { signOut }', {}, HEADERS);
        expect(mutation.errors).toBeUndefined();
        expect(mutation.data).toEqual({ signOut: true });
        for (let i = 0; i < 4; i += 1) {
          const query = await postGraphQL(url, '{ me { id } }', {}, HEADERS);
          expect(query.errors).toBeUndefined();
        }
        expect(running.received).toHaveLength(5);
        expect(running.received[0]).toMatch(/^mutation/);
      });
    } finally {
      await running.close();
    }
  });
});
