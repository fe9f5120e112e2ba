import { postGraphQL } from '@serendip/testing';
import { deadUrl, fakeSubgraph, json, withGateway as withTestGateway } from './support/harness';

/** What a broken subgraph might send: a driver's message with SQL, a path on disk and a stack. */
const LEAKY = {
  message: "ER_NO_SUCH_TABLE: Table 'serendip_user.secret' doesn't exist: SELECT * FROM secret WHERE id = 1 at /srv/app/user.store.ts:12",
  extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at UserStore.find (/srv/app/user.store.ts:12:7)'] },
};

/** A fake user subgraph answering every request with `errors`. */
const erring = (errors: unknown[]) =>
  fakeSubgraph((res) => json(res, { data: { me: null }, errors: errors.map((error) => ({ ...(error as object), path: ['me'] })) }));

const withGateway = (subgraphs: Record<string, string>, check: (url: string) => Promise<void>) =>
  withTestGateway({ NODE_ENV: 'development', ...subgraphs }, check, { quiet: true });

const HEADERS = { 'x-serendip-csrf': '1' };

describe('subgraph errors at the gateway', () => {
  it("replaces a subgraph's uncoded or internal error with a neutral one, even in development", async () => {
    const fake = await erring([LEAKY, { message: 'connect ECONNREFUSED 10.0.0.7:3306' }]);
    try {
      await withGateway({ USER_URL: fake.url }, async (url) => {
        const response = await postGraphQL(url, '{ me { id } }', {}, HEADERS);
        expect(response.errors).toEqual([
          { message: 'Internal server error', path: ['me'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
          { message: 'Internal server error', path: ['me'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        ]);
      });
    } finally {
      await fake.close();
    }
  });

  it('passes a coded error on with its message and details, without the subgraph name or a stack', async () => {
    const fake = await erring([{ message: 'Sign in to do this', extensions: { code: 'UNAUTHENTICATED', field: 'me', stacktrace: ['at x'] } }]);
    try {
      await withGateway({ USER_URL: fake.url }, async (url) => {
        const response = await postGraphQL(url, '{ me { id } }', {}, HEADERS);
        expect(response.errors).toEqual([{ message: 'Sign in to do this', path: ['me'], extensions: { code: 'UNAUTHENTICATED', field: 'me' } }]);
      });
    } finally {
      await fake.close();
    }
  });

  it('answers SERVICE_UNAVAILABLE, naming no address, when a subgraph does not answer', async () => {
    const dead = await deadUrl();
    const port = new URL(dead).port;
    await withGateway({ CATALOGUE_URL: dead }, async (url) => {
      const response = await postGraphQL(url, '{ categories { id } }', {}, HEADERS);
      expect(response.errors).toEqual([
        { message: 'A service this request needs is not answering; try again shortly', path: ['categories'], extensions: { code: 'SERVICE_UNAVAILABLE' } },
      ]);
      expect(JSON.stringify(response)).not.toContain(String(port));
    });
  });
});
