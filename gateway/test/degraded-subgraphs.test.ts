import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { postGraphQL, testSecrets } from '@serendip/testing';
import { startGateway } from '../src/app';
import { loadGatewayConfig } from '../src/config';

const HEADERS = { 'x-serendip-csrf': '1' };

interface FakeSubgraph {
  url: string;
  /** The operations it was sent, in order. */
  received: string[];
  close(): Promise<void>;
}

/** A subgraph that answers each request with `answer` (which may never answer), recording the queries it was sent. */
async function fakeSubgraph(answer: (res: ServerResponse, query: string, count: number) => void): Promise<FakeSubgraph> {
  const received: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const query = (JSON.parse(body) as { query: string }).query;
      received.push(query);
      answer(res, query, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const json = (res: ServerResponse, body: unknown, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** A URL where nothing listens: a port that was free a moment ago. */
async function deadUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}/graphql`;
}

async function withGateway(settings: Record<string, string>, check: (url: string) => Promise<void>) {
  const gateway = await startGateway(
    loadGatewayConfig({
      NODE_ENV: 'development',
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'error',
      QUEUE_PREFIX: `t_${randomBytes(4).toString('hex')}`,
      SUBGRAPH_RETRY_DELAY_MS: '10',
      ...testSecrets(),
      ...settings,
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

const UNAVAILABLE = { code: 'SERVICE_UNAVAILABLE' };

describe('a subgraph that is down costs its fields, not the page', () => {
  it('answers products with a null rating and reviews when the feedback subgraph does not answer', async () => {
    const catalogue = await fakeSubgraph((res) =>
      json(res, {
        data: {
          products: {
            nodes: [
              { __typename: 'Product', id: '1' },
              { __typename: 'Product', id: '2' },
            ],
          },
        },
      }),
    );
    try {
      await withGateway({ CATALOGUE_URL: catalogue.url, FEEDBACK_URL: await deadUrl() }, async (url) => {
        const response = await postGraphQL<{ products: { nodes: unknown[] } }>(
          url,
          '{ products { nodes { id ratingSummary { count } reviews { totalCount } feedbackSummary { ratingCount } } } }',
          {},
          HEADERS,
        );
        expect(response.data).toEqual({
          products: {
            nodes: [
              { id: '1', ratingSummary: null, reviews: null, feedbackSummary: null },
              { id: '2', ratingSummary: null, reviews: null, feedbackSummary: null },
            ],
          },
        });
        expect(response.errors?.length).toBeGreaterThan(0);
        for (const error of response.errors ?? []) expect(error.extensions).toEqual(UNAVAILABLE);
      });
    } finally {
      await catalogue.close();
    }
  });

  it("answers a shopper's page without their recommendations, events and reviews when those subgraphs do not answer", async () => {
    const user = await fakeSubgraph((res) => json(res, { data: { me: { __typename: 'User', id: '7', displayName: 'Ada' } } }));
    try {
      await withGateway({ USER_URL: user.url, RECOMMENDATION_URL: await deadUrl(), FEEDBACK_URL: await deadUrl() }, async (url) => {
        const response = await postGraphQL(
          url,
          '{ me { id displayName recommendations { score } recentEvents { type } behaviourSummary { personalisation } reviews { id } } }',
          {},
          HEADERS,
        );
        expect(response.data).toEqual({
          me: { id: '7', displayName: 'Ada', recommendations: null, recentEvents: null, behaviourSummary: null, reviews: null },
        });
        expect(response.errors?.length).toBeGreaterThan(0);
        for (const error of response.errors ?? []) expect(error.extensions).toEqual(UNAVAILABLE);
      });
    } finally {
      await user.close();
    }
  });
});

describe('upstream timeouts and retries', () => {
  it('gives up on a subgraph that does not answer within its timeout, with SERVICE_UNAVAILABLE', async () => {
    const hung: ServerResponse[] = [];
    const catalogue = await fakeSubgraph((res) => hung.push(res));
    try {
      await withGateway({ CATALOGUE_URL: catalogue.url, CATALOGUE_TIMEOUT_MS: '300', SUBGRAPH_RETRIES: '0' }, async (url) => {
        const response = await postGraphQL(url, '{ categories { id } }', {}, HEADERS);
        expect(response.data ?? null).toBeNull();
        expect(response.errors).toEqual([
          { message: 'A service this request needs is not answering; try again shortly', path: ['categories'], extensions: UNAVAILABLE },
        ]);
        expect(catalogue.received).toHaveLength(1);
      });
    } finally {
      for (const res of hung) res.destroy();
      await catalogue.close();
    }
  });

  it('sends a query again after a 503, and answers it', async () => {
    const user = await fakeSubgraph((res, _query, count) =>
      count === 1 ? json(res, { errors: [{ message: 'busy' }] }, 503) : json(res, { data: { me: { __typename: 'User', id: '7' } } }),
    );
    try {
      await withGateway({ USER_URL: user.url, SUBGRAPH_RETRIES: '1' }, async (url) => {
        const response = await postGraphQL(url, '{ me { id } }', {}, HEADERS);
        expect(response.errors).toBeUndefined();
        expect(response.data).toEqual({ me: { id: '7' } });
        expect(user.received).toHaveLength(2);
      });
    } finally {
      await user.close();
    }
  });

  it('never sends a mutation twice, even when the first attempt got a 503', async () => {
    const user = await fakeSubgraph((res) => json(res, { errors: [{ message: 'busy' }] }, 503));
    try {
      await withGateway({ USER_URL: user.url, SUBGRAPH_RETRIES: '3' }, async (url) => {
        const response = await postGraphQL(url, 'mutation { refreshSession(refreshToken: "r") { __typename } }', {}, HEADERS);
        expect(response.data ?? null).toBeNull();
        expect(response.errors?.length).toBeGreaterThan(0);
        expect(user.received).toHaveLength(1);
        expect(user.received[0]).toMatch(/^mutation/);
      });
    } finally {
      await user.close();
    }
  });
});
