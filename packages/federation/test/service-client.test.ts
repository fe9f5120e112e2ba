import { createServer, type Server } from 'node:http';
import { AppError, ErrorCode, ServiceClient } from '../src';
import { logger } from '@serendip/telemetry';

const SECRET = 'a-test-secret-of-enough-length';
const SQL = "ER_PARSE_ERROR: You have an error in your SQL syntax near 'DELETE FROM review' at /srv/feedback/review.store.ts:40";

/** A fake subgraph answering every call with `status` and `body`. */
async function fake(status: number, body: unknown): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`, server };
}

async function failure(call: Promise<unknown>): Promise<AppError> {
  const error = await call.then(
    () => null,
    (raised: unknown) => raised,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('ServiceClient', () => {
  let logged: jest.SpyInstance;
  beforeEach(() => {
    logged = jest.spyOn(logger(), 'error').mockImplementation(() => undefined);
  });
  afterEach(() => logged.mockRestore());

  it.each([
    ['a GraphQL error', 200, { data: null, errors: [{ message: SQL, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }],
    ['an HTTP error', 502, { message: SQL }],
    ['no data', 200, {}],
  ])('reports %s as SERVICE_UNAVAILABLE with a message that holds nothing of the other service', async (_what, status, body) => {
    const downstream = await fake(status, body);
    try {
      const error = await failure(new ServiceClient({ caller: 'user', target: 'feedback', url: downstream.url, gatewaySecret: SECRET }).call('{ x }', {}));
      expect({ code: error.code, message: error.message, details: error.details }).toEqual({
        code: ErrorCode.Unavailable,
        message: 'the feedback subgraph is not available; try again shortly',
        details: {},
      });
      // The operator still learns why, from the log.
      expect(logged.mock.calls.flat().join(' ')).toContain(downstream.url);
    } finally {
      downstream.server.close();
    }
  });

  it('names no address when the other service does not answer', async () => {
    const downstream = await fake(200, {});
    downstream.server.close();
    const error = await failure(
      new ServiceClient({ caller: 'user', target: 'recommendation', url: downstream.url, gatewaySecret: SECRET, timeoutMs: 1000 }).call('{ x }', {}),
    );
    expect(error.code).toBe(ErrorCode.Unavailable);
    expect(error.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|fetch/);
  });
});
