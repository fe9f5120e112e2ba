import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { postGraphQL, testSecrets } from '@serendip/testing';
import { startGateway } from '../src/app';
import { loadGatewayConfig } from '../src/config';

/** What a broken subgraph might send: a driver's message with SQL, a path on disk and a stack. */
const LEAKY = {
  message: "ER_NO_SUCH_TABLE: Table 'serendip_user.secret' doesn't exist: SELECT * FROM secret WHERE id = 1 at /srv/app/user.store.ts:12",
  extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at UserStore.find (/srv/app/user.store.ts:12:7)'] },
};

/** A fake user subgraph answering every request with `errors`. */
async function fakeSubgraph(errors: unknown[]): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ data: { me: null }, errors: errors.map((error) => ({ ...(error as object), path: ['me'] })) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`, server };
}

async function withGateway(subgraphs: Record<string, string>, check: (url: string) => Promise<void>) {
  const gateway = await startGateway(
    loadGatewayConfig({
      NODE_ENV: 'development',
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'error',
      QUEUE_PREFIX: `t_${randomBytes(4).toString('hex')}`,
      ...testSecrets(),
      ...subgraphs,
    }),
  );
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    await check(gateway.url);
  } finally {
    quiet.mockRestore();
    await gateway.stop();
  }
}

const HEADERS = { 'x-serendip-csrf': '1' };

describe('subgraph errors at the gateway', () => {
  it("replaces a subgraph's uncoded or internal error with a neutral one, even in development", async () => {
    const fake = await fakeSubgraph([LEAKY, { message: 'connect ECONNREFUSED 10.0.0.7:3306' }]);
    try {
      await withGateway({ USER_URL: fake.url }, async (url) => {
        const response = await postGraphQL(url, '{ me { id } }', {}, HEADERS);
        expect(response.errors).toEqual([
          { message: 'Internal server error', path: ['me'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
          { message: 'Internal server error', path: ['me'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        ]);
      });
    } finally {
      fake.server.close();
    }
  });

  it('passes a coded error on with its message and details, without the subgraph name or a stack', async () => {
    const fake = await fakeSubgraph([{ message: 'Sign in to do this', extensions: { code: 'UNAUTHENTICATED', field: 'me', stacktrace: ['at x'] } }]);
    try {
      await withGateway({ USER_URL: fake.url }, async (url) => {
        const response = await postGraphQL(url, '{ me { id } }', {}, HEADERS);
        expect(response.errors).toEqual([{ message: 'Sign in to do this', path: ['me'], extensions: { code: 'UNAUTHENTICATED', field: 'me' } }]);
      });
    } finally {
      fake.server.close();
    }
  });

  it('answers SERVICE_UNAVAILABLE, naming no address, when a subgraph does not answer', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await withGateway({ CATALOGUE_URL: `http://127.0.0.1:${port}/graphql` }, async (url) => {
      const response = await postGraphQL(url, '{ categories { id } }', {}, HEADERS);
      expect(response.errors).toEqual([
        { message: 'A service this request needs is not answering; try again shortly', path: ['categories'], extensions: { code: 'SERVICE_UNAVAILABLE' } },
      ]);
      expect(JSON.stringify(response)).not.toContain(String(port));
    });
  });
});
