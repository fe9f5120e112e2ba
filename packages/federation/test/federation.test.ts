import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { createServer } from 'node:net';
import {
  AppError,
  canonicalUserId,
  CatalogueClient,
  decodeCursor,
  encodeCursor,
  ErrorCode,
  formatError,
  pageSize,
  signAccessToken,
  signIdentity,
  verifyAccessToken,
  verifyIdentity,
} from '../src';
import { logger } from '@serendip/telemetry';

const SECRET = 'a-test-secret-of-enough-length';

describe('forwarded identity', () => {
  it('round-trips a signed identity and refuses forged or foreign ones', () => {
    const token = signIdentity(SECRET, { userId: 'u-1', roles: ['shopper', 'admin'], sessionId: 's-1' }, 'catalogue');
    expect(verifyIdentity(SECRET, token, 'catalogue')).toEqual({ userId: 'u-1', roles: ['shopper', 'admin'], sessionId: 's-1' });
    expect(verifyIdentity('another-secret-of-enough-length', token, 'catalogue')).toBeNull();
    expect(verifyIdentity(SECRET, undefined, 'catalogue')).toBeNull();
    expect(verifyIdentity(SECRET, `${token}x`, 'catalogue')).toBeNull();
    // A shopper session token is not a gateway identity, even with the same secret.
    const session = signAccessToken(SECRET, { userId: 'u-1', roles: ['admin'], sessionId: randomUUID(), version: 0 }, 60).token;
    expect(verifyIdentity(SECRET, session, 'catalogue')).toBeNull();
  });

  it('is accepted only by the subgraph it was signed for', () => {
    const forCatalogue = signIdentity(SECRET, { userId: 'u-1', roles: ['shopper', 'admin'] }, 'catalogue');
    for (const other of ['user', 'recommendation', 'feedback'] as const) expect(verifyIdentity(SECRET, forCatalogue, other)).toBeNull();
    const forTwo = signIdentity(SECRET, { userId: 'u-1', roles: ['shopper'] }, ['user', 'feedback']);
    expect(verifyIdentity(SECRET, forTwo, 'feedback')).toMatchObject({ userId: 'u-1' });
    expect(verifyIdentity(SECRET, forTwo, 'catalogue')).toBeNull();
  });

  it('keeps anonymous identities anonymous, and names the calling service of a service identity', () => {
    expect(verifyIdentity(SECRET, signIdentity(SECRET, { userId: null, roles: [] }, 'user'), 'user')).toEqual({ userId: null, roles: [] });
    const service = signIdentity(SECRET, { userId: null, roles: ['service'], service: 'user' }, 'feedback');
    expect(verifyIdentity(SECRET, service, 'feedback')).toEqual({ userId: null, roles: ['service'], service: 'user' });
  });
});

describe('canonicalUserId', () => {
  it('lowercases a UUID, so every spelling of one id is one key', () => {
    expect(canonicalUserId('3F2A5B7C-0D1E-4F23-8A45-6789ABCDEF01')).toBe('3f2a5b7c-0d1e-4f23-8a45-6789abcdef01');
    expect(canonicalUserId('3f2a5b7c-0d1e-4f23-8a45-6789abcdef01')).toBe('3f2a5b7c-0d1e-4f23-8a45-6789abcdef01');
  });

  it('refuses anything that is not a UUID, padded ones included', () => {
    for (const id of ['', 'admin-1', ' 3f2a5b7c-0d1e-4f23-8a45-6789abcdef01', '3f2a5b7c0d1e4f238a456789abcdef01', '3f2a5b7c-0d1e-4f23-8a45-6789abcdef0g']) {
      expect(canonicalUserId(id)).toBeNull();
    }
  });
});

describe('session tokens', () => {
  it('tells an expired token from an invalid one', () => {
    expect(verifyAccessToken(SECRET, signAccessToken(SECRET, { userId: 'u-1', roles: ['shopper'], sessionId: randomUUID(), version: 0 }, -10).token)).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyAccessToken(SECRET, 'garbage')).toEqual({ ok: false, reason: 'invalid' });
    expect(
      verifyAccessToken(SECRET, signAccessToken(SECRET, { userId: 'u-1', roles: ['shopper'], sessionId: randomUUID(), version: 0 }, 60).token),
    ).toMatchObject({ ok: true, userId: 'u-1', roles: ['shopper'], version: 0 });
  });
});

describe('formatError', () => {
  const silence = jest.spyOn(logger(), 'error').mockImplementation(() => undefined);
  afterAll(() => silence.mockRestore());

  it('maps domain errors to their code and details', () => {
    const raw = new GraphQLError('wrapped', { originalError: new AppError(ErrorCode.NotFound, 'Product 9 does not exist', { id: '9' }), path: ['product'] });
    expect(formatError({ message: 'wrapped', path: ['product'] }, raw)).toEqual({
      message: 'Product 9 does not exist',
      path: ['product'],
      extensions: { code: 'NOT_FOUND', id: '9' },
    });
  });

  it('hides unexpected errors behind a neutral message', () => {
    const raw = new GraphQLError('boom', { originalError: new Error("ER_NO_SUCH_TABLE: Table 'x.y' doesn't exist") });
    const formatted = formatError({ message: raw.message, extensions: { stacktrace: ['at secret.ts:1'] } }, raw);
    expect(formatted).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('hides an unexpected error even when Apollo Server has coded it INTERNAL_SERVER_ERROR', () => {
    const raw = new GraphQLError('boom', { originalError: new Error('Window function is not allowed in window specification') });
    const formatted = formatError({ message: raw.message, extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['x'] } }, raw);
    expect(formatted).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('passes on graphql-js codes without stack traces', () => {
    const formatted = formatError(
      { message: 'Cannot query field', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['x'] } },
      new GraphQLError('Cannot query field'),
    );
    expect(formatted).toEqual({ message: 'Cannot query field', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });
});

describe('cursors and page sizes', () => {
  it('round-trips a cursor and refuses one it did not issue', () => {
    expect(decodeCursor(encodeCursor(['42', 7]))).toEqual(['42', 7]);
    expect(() => decodeCursor('not-a-cursor')).toThrow(AppError);
    expect(() => decodeCursor(Buffer.from('{"a":1}').toString('base64url'))).toThrow(AppError);
  });

  it('accepts 1..max only', () => {
    expect(pageSize(20)).toBe(20);
    for (const bad of [0, -1, 101, 2.5]) expect(() => pageSize(bad)).toThrow(AppError);
  });
});

describe('CatalogueClient', () => {
  it('reports an unreachable catalogue as SERVICE_UNAVAILABLE, not an internal error', async () => {
    const silence = jest.spyOn(logger(), 'error').mockImplementation(() => undefined);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = new CatalogueClient('feedback', `http://127.0.0.1:${port}/graphql`, SECRET, 1000);
    await expect(client.lookup(['1'])).rejects.toMatchObject({ code: ErrorCode.Unavailable });
    await expect(client.lookup([])).resolves.toEqual(new Map());
    silence.mockRestore();
  });
});
