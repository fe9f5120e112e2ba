import { randomUUID } from 'node:crypto';
import { SessionRevocations, signAccessToken, verifyIdentity } from '@serendip/federation';
import Redis from 'ioredis';
import { postGraphQL, errorCodes } from '@serendip/testing';
import { loadGatewayConfig } from '../src/config';
import { IdentityForwarding } from '../src/identity.plugin';
import WebSocket from 'ws';
import { gatewayWsClient } from './support/ws-client';
import { secrets, withGateway } from './support/harness';
import { readFileSync } from 'node:fs';
import { TRUSTED_DOCUMENTS_MANIFEST, trustedDocumentId, type TrustedDocumentsManifest } from '../src/trusted-documents';

const INTROSPECTION = '{ __schema { queryType { name } } }';

/** The bundled GraphiQL page and every file it names, served by the gateway itself; nothing else under its path. */
async function expectBundledGraphiQL(graphqlUrl: string) {
  const page = await fetch(new URL('/graphiql', graphqlUrl));
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';.*connect-src 'self'/);
  const html = await page.text();
  const files = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
  expect(files.map((file) => file.replace(/-[0-9a-f]{12}\./, '.'))).toEqual([
    '/graphiql/assets/graphiql.css',
    '/graphiql/assets/react.js',
    '/graphiql/assets/react-dom.js',
    '/graphiql/assets/graphiql.js',
    '/graphiql/assets/start.js',
  ]);
  for (const file of files) {
    const response = await fetch(new URL(file, graphqlUrl));
    expect([file, response.status, response.headers.get('cache-control')]).toEqual([file, 200, 'public, max-age=31536000, immutable']);
    expect(response.headers.get('content-type')).toBe(file.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
  }
  const start = await (await fetch(new URL(files.at(-1)!, graphqlUrl))).text();
  expect(start).toContain("'x-serendip-csrf': '1'");
  for (const unknown of ['/graphiql/assets/react.js', '/graphiql/assets/..%2f..%2fpackage.json']) {
    expect([unknown, (await fetch(new URL(unknown, graphqlUrl))).status]).toEqual([unknown, 404]);
  }
  expect((await fetch(new URL('/graphiql', graphqlUrl), { method: 'POST', body: '' })).status).toBe(405);
}

describe('gateway modes', () => {
  it('development: introspection and an Apollo Sandbox page', async () => {
    await withGateway({ NODE_ENV: 'development' }, async (url) => {
      const schema = await postGraphQL<{ __schema: { queryType: { name: string } } }>(url, INTROSPECTION);
      expect(schema.data?.__schema.queryType.name).toBe('Query');
      const page = await fetch(url, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('EmbeddedSandbox');
      expect(html).toContain('x-serendip-csrf');
      // Without Apollo's CDN the page goes to the gateway's own GraphiQL.
      expect(html).toContain('onerror="toGraphiQL()"');
      expect(html).toContain('window.location.replace("/graphiql")');
      await expectBundledGraphiQL(url);
    });
  });

  it('production: no introspection, no Sandbox page, and every secret required', async () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET|GATEWAY_SECRET/);
    // Operation text from anyone, so what production does with it shows (trusted documents are tested below).
    await withGateway({ NODE_ENV: 'production', ARBITRARY_OPERATIONS: 'allow' }, async (url) => {
      const schema = await postGraphQL(url, INTROSPECTION);
      expect(schema.data ?? null).toBeNull();
      expect(new Set(errorCodes(schema))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
      expect(schema.errors![0]!.message).toMatch(/introspection/i);
      const page = await fetch(url, { headers: { accept: 'text/html', 'x-serendip-csrf': '1' } });
      expect(await page.text()).not.toContain('EmbeddedSandbox');
      expect((await fetch(new URL('/graphiql', url))).status).toBe(404);
    });
  });

  it('codes parse errors, including the token limit', async () => {
    await withGateway({ NODE_ENV: 'development', MAX_TOKENS: '50' }, async (url) => {
      expect(errorCodes(await postGraphQL(url, '{ me { id '))).toEqual(['GRAPHQL_PARSE_FAILED']);
      const long = `{ ${Array.from({ length: 40 }, (_, index) => `a${index}: __typename`).join(' ')} }`;
      const limited = await postGraphQL(url, long);
      expect(errorCodes(limited)).toEqual(['GRAPHQL_PARSE_FAILED']);
      expect(limited.errors![0]!.message).toMatch(/token limit/i);
    });
  });
});

const LIVE_SLATE = 'subscription { recommendationsUpdated { items { product { id } } } }';

describe('gateway subscriptions', () => {
  it('refuses a malformed, forged or expired session token at WebSocket connection init with 4401', async () => {
    const expired = signAccessToken(secrets.JWT_SECRET, { userId: '1', roles: ['shopper'], sessionId: randomUUID(), version: 0 }, -60).token;
    const forged = signAccessToken('another-secret-of-some-length', { userId: '1', roles: ['shopper'], sessionId: randomUUID(), version: 0 }, 600).token;
    await withGateway({ NODE_ENV: 'development' }, async (url) => {
      const refusals: [unknown, RegExp][] = [
        ['Token abc', /Bearer/],
        [42, /Bearer/],
        [`Bearer ${forged}`, /not valid/],
        [`Bearer ${expired}`, /expired/],
      ];
      for (const [authorization, reason] of refusals) {
        const client = gatewayWsClient(url, { authorization });
        try {
          await expect(client.iterate({ query: LIVE_SLATE }).next()).rejects.toMatchObject({ code: 4401, reason: expect.stringMatching(reason) });
        } finally {
          await client.dispose();
        }
      }
    });
  });

  it('applies the depth and token limits to subscription documents over WebSocket', async () => {
    await withGateway({ NODE_ENV: 'development', MAX_DEPTH: '2', MAX_TOKENS: '30' }, async (url) => {
      // No token: an anonymous visitor may connect; the limits refuse these before any subgraph is asked.
      const client = gatewayWsClient(url);
      try {
        const deep = await client.iterate({ query: LIVE_SLATE }).next();
        expect(deep.value).toMatchObject({ errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
        const long = `subscription { ${Array.from({ length: 20 }, (_, index) => `a${index}: __typename`).join(' ')} }`;
        const tokens = await client.iterate({ query: long }).next();
        expect(tokens.value).toMatchObject({ errors: [{ extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] });
      } finally {
        await client.dispose();
      }
    });
  });

  it('keeps CSRF prevention on HTTP subscriptions (server-sent events)', async () => {
    await withGateway({ NODE_ENV: 'development' }, async (url) => {
      const response = await fetch(`${url}?query=${encodeURIComponent(LIVE_SLATE)}`, { headers: { accept: 'text/event-stream' } });
      expect(response.status).toBe(403);
      expect(await response.text()).toMatch(/CSRF/);
    });
  });
});

describe('identity forwarding', () => {
  it('renews the signed identity of a long-running operation before it expires', () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    try {
      const gatewaySecret = 'g'.repeat(40);
      // The revocation store is never asked here: the identity is remembered, not read from a token.
      const forwarding = new IdentityForwarding('j'.repeat(40), gatewaySecret, new SessionRevocations(new Redis({ lazyConnect: true }), 'unused'));
      const request = new Request('http://gateway/graphql');
      forwarding.remember(request, { userId: '7', roles: ['shopper'] });
      const signed = () => forwarding.headersFor(request, 'catalogue')['x-serendip-identity'];
      const first = signed();

      jest.setSystemTime(Date.now() + 20_000);
      expect(signed()).toBe(first);

      // A minute after the subscription started: the first signature is stale, the one sent now is not.
      jest.setSystemTime(Date.now() + 40_000);
      expect(verifyIdentity(gatewaySecret, first, 'catalogue')).toBeNull();
      expect(verifyIdentity(gatewaySecret, signed(), 'catalogue')).toEqual({ userId: '7', roles: ['shopper'] });
      // Each subgraph gets the identity signed for it alone.
      expect(verifyIdentity(gatewaySecret, signed(), 'user')).toBeNull();
      expect(verifyIdentity(gatewaySecret, forwarding.headersFor(request, 'user')['x-serendip-identity'], 'user')).toMatchObject({ userId: '7' });
    } finally {
      jest.useRealTimers();
    }
  });
});

// The limits act before any subgraph is called, so they too run without subgraphs.
describe('operation and connection limits', () => {
  const hundredSearches = `{ ${Array.from({ length: 60 }, (_, index) => `s${index}: searchProducts(text: "bag", first: 100) { product { id } }`).join(' ')} }`;

  it('refuses an operation costing more than MAX_COST, or holding more than MAX_ALIASES aliases, with QUERY_TOO_COMPLEX', async () => {
    await withGateway({ NODE_ENV: 'development', MAX_COST: '5000', MAX_ALIASES: '20', MAX_TOKENS: '5000' }, async (url) => {
      const fanOut = await postGraphQL(url, hundredSearches);
      expect(errorCodes(fanOut)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(fanOut.errors![0]!.extensions).toMatchObject({ aliases: 60, maxAliases: 20 });

      const deep = await postGraphQL(url, 'query ($n: Int) { searchProducts(text: "bag", first: $n) { product { reviews(first: 100) { nodes { id } } } } }', {
        n: 100,
      });
      expect(errorCodes(deep)).toEqual(['QUERY_TOO_COMPLEX']);
      // The search's extra 20, then 100 hits × (1 + product 1 + reviews 1 + 100 reviews).
      expect(deep.errors![0]!.extensions).toMatchObject({ cost: 20 + 100 * 103, maxCost: 5000 });
      expect(deep.data ?? null).toBeNull();
    });
  });

  it('production: a validation error names no field the schema has', async () => {
    await withGateway({ NODE_ENV: 'production', ARBITRARY_OPERATIONS: 'allow' }, async (url) => {
      const response = await postGraphQL(url, '{ searchProduct(text: "bag") { score } }');
      expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(response.errors![0]!.message).toBe('Cannot query field "searchProduct" on type "Query".');
    });
    await withGateway({ NODE_ENV: 'development' }, async (url) => {
      expect((await postGraphQL(url, '{ searchProduct(text: "bag") { score } }')).errors![0]!.message).toMatch(/Did you mean "searchProducts"/);
    });
  });

  it('refuses a body over MAX_BODY_BYTES by its length, before reading it, and a body without a length', async () => {
    await withGateway({ NODE_ENV: 'development', MAX_BODY_BYTES: '1000' }, async (url) => {
      const padded = (bytes: number) => JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(bytes) } });
      expect((await postGraphQL(url, '{ __typename }', { padding: 'x'.repeat(500) })).errors).toBeUndefined();
      const large = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: padded(2000) });
      expect(large.status).toBe(413);
      expect(((await large.json()) as { errors: { extensions: unknown }[] }).errors[0]!.extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', maxBytes: 1000 });
      // A streamed body has no length to judge it by.
      const chunked = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new Blob([padded(10)]).stream(),
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(411);
    });
  });

  it('closes a WebSocket that sends a message over WS_MAX_PAYLOAD_BYTES, and refuses connections over WS_MAX_CONNECTIONS_PER_IP', async () => {
    await withGateway({ NODE_ENV: 'development', WS_MAX_PAYLOAD_BYTES: '1024', WS_MAX_CONNECTIONS_PER_IP: '2' }, async (url) => {
      const wsUrl = url.replace(/^http/, 'ws');
      const opened = (socket: WebSocket) => new Promise<void>((resolve, reject) => (socket.once('open', () => resolve()), socket.once('error', reject)));
      const closed = (socket: WebSocket) => new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

      const big = new WebSocket(wsUrl, 'graphql-transport-ws');
      await opened(big);
      const bigClosed = closed(big);
      big.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(2048) } }));
      expect(await bigClosed).toBe(1009);

      const first = new WebSocket(wsUrl, 'graphql-transport-ws');
      const second = new WebSocket(wsUrl, 'graphql-transport-ws');
      await Promise.all([opened(first), opened(second)]);
      const third = new WebSocket(wsUrl, 'graphql-transport-ws');
      const refused = await new Promise<number>((resolve) => third.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)));
      expect(refused).toBe(429);
      // Ending a refused handshake reports it as an error event: expected here.
      third.on('error', () => undefined);
      third.terminate();
      // A closed connection frees its place.
      const firstClosed = closed(first);
      first.close();
      await firstClosed;
      await new Promise((resolve) => setTimeout(resolve, 50));
      const again = new WebSocket(wsUrl, 'graphql-transport-ws');
      await opened(again);
      for (const socket of [second, again]) socket.close();
    });
  });
});

describe('rate limits', () => {
  const refusedCode = (response: Awaited<ReturnType<typeof postGraphQL>>) => response.errors?.[0]?.extensions;
  const signIn = (url: string, email: string, headers: Record<string, string> = {}) =>
    postGraphQL(url, 'mutation ($email: String!) { signIn(email: $email, password: "guess") { token } }', { email }, headers);

  it('refuses an address over RATE_LIMIT_PER_ADDRESS with HTTP 429, RATE_LIMITED and Retry-After, whatever X-Forwarded-For says', async () => {
    await withGateway({ NODE_ENV: 'development', RATE_LIMIT_PER_ADDRESS: '3' }, async (url) => {
      for (let i = 0; i < 3; i += 1) expect((await postGraphQL(url, '{ __typename }', {}, { 'x-forwarded-for': `10.0.0.${i}` })).errors).toBeUndefined();
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
      expect(response.status).toBe(429);
      const retryAfter = Number(response.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
      expect(body.errors[0]!.extensions).toEqual({ code: 'RATE_LIMITED', limit: 'address', retryAfter });
      // The health check is the orchestrator's: never limited.
      expect((await fetch(url.replace(/\/graphql$/, '/healthz'))).status).toBe(200);
    });
  });

  it('limits sign-in and sign-up per address, and sign-in per account from any address', async () => {
    await withGateway({ NODE_ENV: 'development', RATE_LIMIT_AUTH_PER_ADDRESS: '3' }, async (url) => {
      // No user subgraph runs here: the first three fail further on, the fourth never gets that far.
      for (let i = 0; i < 3; i += 1) expect(refusedCode(await signIn(url, `a${i}@example.test`))?.code).not.toBe('RATE_LIMITED');
      expect(refusedCode(await signIn(url, 'a9@example.test'))).toMatchObject({ code: 'RATE_LIMITED', limit: 'auth' });
      // Other operations from the address go on.
      expect((await postGraphQL(url, '{ __typename }')).errors).toBeUndefined();
    });
    await withGateway({ NODE_ENV: 'development', RATE_LIMIT_SIGNIN_PER_ACCOUNT: '2', TRUST_PROXY: 'true' }, async (url) => {
      // Each guess from another address, as a botnet would: the account's own count stops them.
      expect(refusedCode(await signIn(url, 'Victim@Example.test', { 'x-forwarded-for': '10.0.0.1' }))?.code).not.toBe('RATE_LIMITED');
      expect(refusedCode(await signIn(url, 'victim@example.test', { 'x-forwarded-for': '10.0.0.2' }))?.code).not.toBe('RATE_LIMITED');
      expect(refusedCode(await signIn(url, ' victim@example.TEST', { 'x-forwarded-for': '10.0.0.3' }))).toMatchObject({
        code: 'RATE_LIMITED',
        limit: 'account',
      });
      expect(refusedCode(await signIn(url, 'someone@example.test', { 'x-forwarded-for': '10.0.0.4' }))?.code).not.toBe('RATE_LIMITED');
    });
  });

  it("counts a shopper's requests only with a token that verifies: a forged one spends nothing of theirs", async () => {
    const userId = '00000000-0000-4000-8000-00000000abce';
    const claims = { userId, roles: ['shopper' as const], sessionId: randomUUID(), version: 0 };
    const token = signAccessToken(secrets.JWT_SECRET, claims, 600).token;
    const forged = signAccessToken(`not-${secrets.JWT_SECRET}`, claims, 600).token;
    await withGateway({ NODE_ENV: 'development', RATE_LIMIT_PER_SHOPPER: '2' }, async (url) => {
      for (let i = 0; i < 3; i += 1) expect((await postGraphQL(url, '{ __typename }', {}, { authorization: `Bearer ${forged}` })).status).toBe(401);
      const headers = { authorization: `Bearer ${token}` };
      expect((await postGraphQL(url, '{ __typename }', {}, headers)).errors).toBeUndefined();
      expect((await postGraphQL(url, '{ __typename }', {}, headers)).errors).toBeUndefined();
      expect(refusedCode(await postGraphQL(url, '{ __typename }', {}, headers))).toMatchObject({ code: 'RATE_LIMITED', limit: 'shopper' });
    });
  });

  it('limits a signed-in shopper per RATE_LIMIT_PER_SHOPPER, over HTTP and WebSocket alike', async () => {
    const { JWT_SECRET } = secrets;
    const token = signAccessToken(
      JWT_SECRET,
      { userId: '00000000-0000-4000-8000-00000000abcd', roles: ['shopper'], sessionId: randomUUID(), version: 0 },
      600,
    ).token;
    await withGateway({ NODE_ENV: 'development', RATE_LIMIT_PER_SHOPPER: '2' }, async (url) => {
      const headers = { authorization: `Bearer ${token}` };
      expect((await postGraphQL(url, '{ __typename }', {}, headers)).errors).toBeUndefined();
      expect((await postGraphQL(url, '{ __typename }', {}, headers)).errors).toBeUndefined();
      const refused = await postGraphQL(url, '{ __typename }', {}, headers);
      expect(refused.status).toBe(429);
      expect(refusedCode(refused)).toMatchObject({ code: 'RATE_LIMITED', limit: 'shopper' });
      const client = gatewayWsClient(url, headers);
      try {
        // A refused subscription answers with one result carrying the error, then completes.
        const first = await client.iterate({ query: 'subscription { recommendationsUpdated { recommendationId } }' }).next();
        expect((first.value as { errors?: { extensions?: unknown }[] } | undefined)?.errors?.[0]?.extensions).toMatchObject({
          code: 'RATE_LIMITED',
          limit: 'shopper',
        });
      } finally {
        await client.dispose();
      }
      // Anonymous visitors from the same address are not that shopper.
      expect((await postGraphQL(url, '{ __typename }')).errors).toBeUndefined();
    });
  });
});

// Revocations are written by the user subgraph; here the test writes them itself, as it would.
describe('session revocation', () => {
  const shopper = '00000000-0000-4000-8000-0000000000aa';
  const tokenFor = (claims: Partial<{ sessionId: string; version: number }>, ttlSeconds = 600) => {
    const sessionId = claims.sessionId ?? randomUUID();
    return {
      sessionId,
      token: signAccessToken(secrets.JWT_SECRET, { userId: shopper, roles: ['shopper'], sessionId, version: claims.version ?? 0 }, ttlSeconds).token,
    };
  };
  const asBearer = (token: string) => ({ authorization: `Bearer ${token}` });
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis();
  });

  afterAll(() => redis.disconnect());

  it('refuses a token whose session ended or whose account version moved past it, over HTTP, with reason REVOKED', async () => {
    await withGateway({ NODE_ENV: 'development' }, async (url, prefix) => {
      const revocations = new SessionRevocations(redis, prefix);
      const phone = tokenFor({});
      const laptop = tokenFor({});
      expect((await postGraphQL(url, '{ __typename }', {}, asBearer(phone.token))).errors).toBeUndefined();

      await revocations.endSession(shopper, phone.sessionId, 60);
      const refused = await postGraphQL(url, '{ __typename }', {}, asBearer(phone.token));
      expect(refused.status).toBe(401);
      expect(refused.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'REVOKED' });
      expect((await postGraphQL(url, '{ __typename }', {}, asBearer(laptop.token))).errors).toBeUndefined();

      await revocations.setVersion(shopper, 1, 60);
      expect((await postGraphQL(url, '{ __typename }', {}, asBearer(laptop.token))).errors?.[0]?.extensions).toMatchObject({ reason: 'REVOKED' });
      expect((await postGraphQL(url, '{ __typename }', {}, asBearer(tokenFor({ version: 1 }).token))).errors).toBeUndefined();
    });
  });

  /** A signed-in graphql-ws connection, acknowledged; resolves with its close code and reason. */
  async function openSocket(url: string, token: string): Promise<{ closed: Promise<{ code: number; reason: string }> }> {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      socket.once('message', (data: Buffer) => {
        const text = data.toString('utf8');
        if ((JSON.parse(text) as { type: string }).type === 'connection_ack') resolve();
        else reject(new Error(text));
      });
      socket.once('error', reject);
    });
    return { closed };
  }

  it('closes an open WebSocket with 4401 when its token is revoked, and when it expires', async () => {
    await withGateway({ NODE_ENV: 'development' }, async (url, prefix) => {
      const revocations = new SessionRevocations(redis, prefix);
      const revoked = tokenFor({});
      const other = tokenFor({});
      const [revokedSocket, otherSocket] = [await openSocket(url, revoked.token), await openSocket(url, other.token)];
      await revocations.endSession(shopper, revoked.sessionId, 60);
      expect(await revokedSocket.closed).toEqual({ code: 4401, reason: expect.stringMatching(/revoked/) });

      // The other session's socket stays open until its own token expires (in 2 s).
      const expiring = tokenFor({}, 2);
      const expiringSocket = await openSocket(url, expiring.token);
      expect(await expiringSocket.closed).toEqual({ code: 4401, reason: expect.stringMatching(/expired/) });
      const stillOpen = await Promise.race([otherSocket.closed, new Promise((resolve) => setTimeout(() => resolve('open'), 200))]);
      expect(stillOpen).toBe('open');
    });
  });

  it('refuses signed-in requests with 503 SERVICE_UNAVAILABLE while revocations cannot be read, and serves anonymous ones', async () => {
    await withGateway({ NODE_ENV: 'development', REDIS_URL: 'redis://127.0.0.1:1' }, async (url) => {
      const refused = await postGraphQL(url, '{ __typename }', {}, asBearer(tokenFor({}).token));
      expect(refused.status).toBe(503);
      expect(refused.errors?.[0]?.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', reason: 'UNVERIFIABLE' });
      expect((await postGraphQL(url, '{ __typename }')).errors).toBeUndefined();
    });
  });
});

describe('trusted documents', () => {
  const manifest = JSON.parse(readFileSync(TRUSTED_DOCUMENTS_MANIFEST, 'utf8')) as TrustedDocumentsManifest;
  const idOf = (name: string) => manifest.operations.find((operation) => operation.name === name)!.id;
  const post = (url: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then(async (response) => ({
      status: response.status,
      ...((await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] }),
    }));
  const codes = (response: { errors?: { extensions?: { code?: string } }[] }) => (response.errors ?? []).map((error) => error.extensions?.code);
  const adminToken = signAccessToken(secrets.JWT_SECRET, { userId: randomUUID(), roles: ['shopper', 'admin'], sessionId: randomUUID(), version: 0 }, 600).token;
  const shopperToken = signAccessToken(secrets.JWT_SECRET, { userId: randomUUID(), roles: ['shopper'], sessionId: randomUUID(), version: 0 }, 600).token;

  it('lists every first-party operation by the SHA-256 of its text', () => {
    expect(manifest.operations.map((operation) => operation.name)).toEqual(
      expect.arrayContaining(['Products', 'ProductPage', 'Search', 'Recommendations', 'LiveRecommendations', 'TrackEvents', 'SignIn']),
    );
    for (const operation of manifest.operations) expect(operation.id).toBe(trustedDocumentId(operation.body));
  });

  it('production: shoppers and visitors run trusted documents by id only; admins may also send text', async () => {
    await withGateway({ NODE_ENV: 'production' }, async (url) => {
      expect(codes(await post(url, { query: '{ __typename }' }))).toEqual(['TRUSTED_DOCUMENTS_ONLY']);
      expect(codes(await post(url, { query: '{ __typename }' }, { authorization: `Bearer ${shopperToken}` }))).toEqual(['TRUSTED_DOCUMENTS_ONLY']);
      expect((await post(url, { query: '{ __typename }' }, { authorization: `Bearer ${adminToken}` })).errors).toBeUndefined();
      expect(codes(await post(url, { documentId: `sha256:${'0'.repeat(64)}` }))).toEqual(['TRUSTED_DOCUMENT_NOT_FOUND']);
      // A trusted document passes (no subgraph runs here, so it fails further on, not at the door).
      for (const body of [
        { documentId: `sha256:${idOf('Search')}`, variables: { text: 'bag' } },
        { extensions: { persistedQuery: { version: 1, sha256Hash: idOf('Search') } }, variables: { text: 'bag' } },
      ]) {
        expect(codes(await post(url, body))).not.toContain('TRUSTED_DOCUMENTS_ONLY');
        expect(codes(await post(url, body))).not.toContain('TRUSTED_DOCUMENT_NOT_FOUND');
      }
    });
  });

  it('ARBITRARY_OPERATIONS=deny refuses text from admins too, over HTTP and WebSocket', async () => {
    await withGateway({ NODE_ENV: 'production', ARBITRARY_OPERATIONS: 'deny' }, async (url) => {
      expect(codes(await post(url, { query: '{ __typename }' }, { authorization: `Bearer ${adminToken}` }))).toEqual(['TRUSTED_DOCUMENTS_ONLY']);
      const client = gatewayWsClient(url, { authorization: `Bearer ${adminToken}` });
      /** The codes a subscription is refused or answered with first (no subgraph runs here: a let-through one fails later on). */
      const firstCodes = async (payload: { query: string; extensions?: Record<string, unknown> }) => {
        try {
          const first = await client.iterate(payload).next();
          return ((first.value as { errors?: { extensions?: { code?: string } }[] } | undefined)?.errors ?? []).map((error) => error.extensions?.code);
        } catch (refusal) {
          return Array.isArray(refusal) ? (refusal as { extensions?: { code?: string } }[]).map((error) => error.extensions?.code) : ['CLOSED'];
        }
      };
      try {
        expect(await firstCodes({ query: 'subscription { recommendationsUpdated { recommendationId } }' })).toEqual(['TRUSTED_DOCUMENTS_ONLY']);
        expect(await firstCodes({ query: '', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } })).toEqual([
          'TRUSTED_DOCUMENT_NOT_FOUND',
        ]);
        const trustedCodes = await firstCodes({ query: '', extensions: { persistedQuery: { version: 1, sha256Hash: idOf('LiveRecommendations') } } });
        expect(trustedCodes).not.toContain('TRUSTED_DOCUMENTS_ONLY');
        expect(trustedCodes).not.toContain('CLOSED');
      } finally {
        await client.dispose();
      }
    });
  });
});
