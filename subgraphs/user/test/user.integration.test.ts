import { ANONYMOUS, SessionRevocations, verifyAccessToken, type AccessClaims } from '@serendip/federation';
import Redis from 'ioredis';
import { createTestDatabases, dropTestDatabases, errorCodes, postGraphQL, sqlStatements, subgraphClient, testEnv } from '@serendip/testing';
import { startUserSubgraph, withAdminRoles } from '../src/app';
import { loadUserConfig } from '../src/config';

const config = loadUserConfig(testEnv({ USER_PORT: '0' }));
let subgraph: Awaited<ReturnType<typeof startUserSubgraph>>;
let call: ReturnType<typeof subgraphClient>;

beforeAll(async () => {
  await createTestDatabases(config, ['user']);
  subgraph = await startUserSubgraph(config);
  call = subgraphClient(subgraph.url);
});

afterAll(async () => {
  await subgraph.stop();
  await dropTestDatabases(config, ['user']);
});

const SIGN_UP = `mutation ($input: SignUpInput!) {
  signUp(input: $input) { token expiresAt user { id email displayName roles consent { personalisation } } }
}`;

type SignUp = { signUp: { token: string; user: { id: string; email: string; roles: string[] } } };

describe('user subgraph on MariaDB', () => {
  it('signs up, signs in and issues tokens the gateway can verify', async () => {
    const up = await call<SignUp>(SIGN_UP, { input: { email: 'Ada@Example.com', password: 'correct horse', displayName: 'Ada' } });
    expect(up.errors).toBeUndefined();
    const user = up.data!.signUp.user;
    expect(user).toMatchObject({ email: 'ada@example.com', roles: ['shopper'] });
    const verified = verifyAccessToken(config.JWT_SECRET, up.data!.signUp.token);
    expect(verified).toMatchObject({ ok: true, userId: user.id, roles: ['shopper'], version: 0 });

    const signIn = await call<{ signIn: { user: { id: string } } }>(`mutation { signIn(email: "ada@example.com", password: "correct horse") { user { id } } }`);
    expect(signIn.data?.signIn.user.id).toBe(user.id);

    const me = await call<{ me: { id: string; email: string } }>('{ me { id email } }', {}, { userId: user.id, roles: ['shopper'] });
    expect(me.data?.me).toEqual({ id: user.id, email: 'ada@example.com' });
  });

  it('never makes an admin at sign-up, whatever the email', async () => {
    const up = await call<SignUp>(SIGN_UP, { input: { email: 'admin@serendip.dev', password: 'long enough', displayName: 'Boss' } });
    expect(up.data?.signUp.user.roles).toEqual(['shopper']);
    expect(verifyAccessToken(config.JWT_SECRET, up.data!.signUp.token)).toMatchObject({ ok: true, roles: ['shopper'] });
  });

  it('refuses bad input with coded errors and writes nothing', async () => {
    const cases = [
      { email: 'not-an-email', password: 'long enough', displayName: 'X' },
      { email: 'short@example.com', password: 'short', displayName: 'X' },
      { email: 'blank@example.com', password: 'long enough', displayName: '   ' },
    ];
    for (const input of cases) {
      const response = await call(SIGN_UP, { input });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    }
    const [{ count }] = await subgraph.dataSource.query(
      "SELECT COUNT(*) AS count FROM `user` WHERE email IN ('not-an-email','short@example.com','blank@example.com')",
    );
    expect(Number(count)).toBe(0);

    const wrongType = await call(SIGN_UP, { input: { email: 42, password: 'long enough', displayName: 'X' } });
    expect(errorCodes(wrongType)).toEqual(['BAD_USER_INPUT']);
  });

  it('rejects a duplicate email with CONFLICT and a wrong password with UNAUTHENTICATED', async () => {
    const input = { email: 'dup@example.com', password: 'long enough', displayName: 'Dup' };
    expect((await call(SIGN_UP, { input })).errors).toBeUndefined();
    expect(errorCodes(await call(SIGN_UP, { input }))).toEqual(['CONFLICT']);
    const wrong = await call(`mutation { signIn(email: "dup@example.com", password: "nope nope") { token } }`);
    expect(errorCodes(wrong)).toEqual(['UNAUTHENTICATED']);
  });

  it("hides another shopper's email and consent", async () => {
    const a = await call<SignUp>(SIGN_UP, { input: { email: 'a@example.com', password: 'long enough', displayName: 'A' } });
    const b = await call<SignUp>(SIGN_UP, { input: { email: 'b@example.com', password: 'long enough', displayName: 'B' } });
    const aId = a.data!.signUp.user.id;
    const representation = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { displayName email } } }`;
    const asB = await call(representation, { reps: [{ __typename: 'User', id: aId }] }, { userId: b.data!.signUp.user.id, roles: ['shopper'] });
    expect(errorCodes(asB)).toEqual(['FORBIDDEN']);
    const displayOnly = await call<{ _entities: { displayName: string }[] }>(
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { displayName } } }`,
      { reps: [{ __typename: 'User', id: aId }] },
      ANONYMOUS,
    );
    expect(displayOnly.data?._entities).toEqual([{ displayName: 'A' }]);
  });

  it('refuses a request that did not come through the gateway', async () => {
    const direct = await postGraphQL(subgraph.url, '{ me { id } }');
    expect(direct.status).toBe(401);
    expect(errorCodes(direct)).toEqual(['UNAUTHENTICATED']);
    const forged = await postGraphQL(subgraph.url, '{ me { id } }', {}, { 'x-serendip-identity': 'forged.token.value' });
    expect(errorCodes(forged)).toEqual(['UNAUTHENTICATED']);
  });

  it('resolves a page of user references with one SQL query', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const up = await call<SignUp>(SIGN_UP, { input: { email: `many${i}@example.com`, password: 'long enough', displayName: `M${i}` } });
      ids.push(up.data!.signUp.user.id);
    }
    const response = await call<{ _entities: { displayName: string }[] }>(
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { displayName } } }`,
      { reps: ids.map((id) => ({ __typename: 'User', id })) },
    );
    expect(response.data?._entities.map((user) => user.displayName)).toEqual(['M0', 'M1', 'M2', 'M3', 'M4']);
    expect(sqlStatements(response)).toBe(1);
  });
});

describe('admin roles', () => {
  const GRANT = 'mutation ($email: String!) { grantAdmin(email: $email) { id email roles } }';
  const REVOKE = 'mutation ($email: String!) { revokeAdmin(email: $email) { id roles } }';
  const SIGN_IN = 'mutation ($email: String!) { signIn(email: $email, password: "long enough") { token user { roles } } }';

  const signUp = async (email: string) => (await call<SignUp>(SIGN_UP, { input: { email, password: 'long enough', displayName: email } })).data!.signUp.user;
  const storedRoles = async (): Promise<Record<string, string>> => {
    const rows = await subgraph.dataSource.query<{ email: string; roles: string }[]>('SELECT email, roles FROM `user` ORDER BY email');
    return Object.fromEntries(rows.map((row) => [row.email, row.roles]));
  };
  const tokenRoles = async (email: string) => {
    const signedIn = await call<{ signIn: { token: string } }>(SIGN_IN, { email });
    return verifyAccessToken(config.JWT_SECRET, signedIn.data!.signIn.token);
  };

  let boss: { id: string };
  let clerk: { id: string };

  beforeAll(async () => {
    boss = await signUp('boss@example.com');
    clerk = await signUp('clerk@example.com');
  });

  it('the operator grants and lists straight on the database; the next token carries the role', async () => {
    const granted = await withAdminRoles(config, (roles) => roles.grant(' Boss@Example.com '));
    expect(granted).toMatchObject({ changed: true, user: { id: boss.id } });
    expect(await withAdminRoles(config, (roles) => roles.grant('boss@example.com'))).toMatchObject({ changed: false });
    expect((await withAdminRoles(config, (roles) => roles.list())).map((user) => user.email)).toEqual(['boss@example.com']);
    expect(await tokenRoles('boss@example.com')).toMatchObject({ ok: true, userId: boss.id, roles: ['shopper', 'admin'] });

    await expect(withAdminRoles(config, (roles) => roles.grant('nobody@example.com'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(withAdminRoles(config, (roles) => roles.grant('not an email'))).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('an admin grants and revokes by email; the next token carries the change', async () => {
    const asBoss = { userId: boss.id, roles: ['shopper' as const, 'admin' as const] };
    const granted = await call<{ grantAdmin: { id: string; email: string; roles: string[] } }>(GRANT, { email: 'CLERK@example.com' }, asBoss);
    expect(granted.data?.grantAdmin).toEqual({ id: clerk.id, email: 'clerk@example.com', roles: ['shopper', 'admin'] });
    expect(await tokenRoles('clerk@example.com')).toMatchObject({ roles: ['shopper', 'admin'] });

    const revoked = await call<{ revokeAdmin: { roles: string[] } }>(REVOKE, { email: 'clerk@example.com' }, asBoss);
    expect(revoked.data?.revokeAdmin.roles).toEqual(['shopper']);
    expect(await tokenRoles('clerk@example.com')).toMatchObject({ roles: ['shopper'] });

    expect(errorCodes(await call(GRANT, { email: 'nobody@example.com' }, asBoss))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await call(GRANT, { email: 'not an email' }, asBoss))).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses anyone else with a coded error and writes nothing, a revoked admin whose token still says admin included', async () => {
    const before = await storedRoles();
    for (const mutation of [GRANT, REVOKE]) {
      expect(errorCodes(await call(mutation, { email: 'clerk@example.com' }, ANONYMOUS))).toEqual(['UNAUTHENTICATED']);
      expect(errorCodes(await call(mutation, { email: 'clerk@example.com' }, { userId: clerk.id, roles: ['shopper'] }))).toEqual(['FORBIDDEN']);
      // Clerk's admin role was revoked above; a token from before still carries it.
      const stale = await call(mutation, { email: 'clerk@example.com' }, { userId: clerk.id, roles: ['shopper', 'admin'] });
      expect(errorCodes(stale)).toEqual(['FORBIDDEN']);
    }
    expect(await storedRoles()).toEqual(before);
  });

  it('the operator revokes', async () => {
    expect(await withAdminRoles(config, (roles) => roles.revoke('boss@example.com'))).toMatchObject({ changed: true, user: { roles: 'shopper' } });
    expect(await withAdminRoles(config, (roles) => roles.revoke('boss@example.com'))).toMatchObject({ changed: false });
    expect(await withAdminRoles(config, (roles) => roles.list())).toEqual([]);
    expect(await tokenRoles('boss@example.com')).toMatchObject({ roles: ['shopper'] });
  });
});

describe('sessions', () => {
  const SIGN_IN = `mutation ($email: String!) {
    signIn(email: $email, password: "long enough") { token refreshToken refreshExpiresAt user { id } }
  }`;
  const REFRESH = 'mutation ($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { token refreshToken user { roles } } }';
  type Tokens = { token: string; refreshToken: string };

  let redis: Redis;
  let revocations: SessionRevocations;

  beforeAll(async () => {
    redis = new Redis(config.REDIS_URL);
    revocations = new SessionRevocations(redis, config.QUEUE_PREFIX);
    await call(SIGN_UP, { input: { email: 'sessions@example.com', password: 'long enough', displayName: 'S' } });
  });

  afterAll(() => redis.disconnect());

  const signIn = async (): Promise<Tokens> => (await call<{ signIn: Tokens }>(SIGN_IN, { email: 'sessions@example.com' })).data!.signIn;
  const claims = (token: string): AccessClaims => {
    const verified = verifyAccessToken(config.JWT_SECRET, token);
    if (!verified.ok) throw new Error(`not a valid token: ${verified.reason}`);
    return verified;
  };
  const sessionRow = async (sessionId: string) =>
    (await subgraph.dataSource.query<{ ended: number }[]>('SELECT ended_at IS NOT NULL AS ended FROM user_session WHERE id = ?', [sessionId]))[0];

  it('refreshes with rotation, and a refresh token used twice ends its session and revokes its access tokens', async () => {
    const first = await signIn();
    const session = claims(first.token);
    const refreshed = await call<{ refreshSession: Tokens }>(REFRESH, { refreshToken: first.refreshToken });
    expect(refreshed.errors).toBeUndefined();
    const second = refreshed.data!.refreshSession;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(claims(second.token)).toMatchObject({ userId: session.userId, sessionId: session.sessionId });
    expect(await revocations.isRevoked(claims(second.token))).toBe(false);

    // The first refresh token again: someone kept a copy.
    expect(errorCodes(await call(REFRESH, { refreshToken: first.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    expect(await sessionRow(session.sessionId)).toEqual({ ended: 1 });
    expect(await revocations.isRevoked(claims(second.token))).toBe(true);
    // And the owner's current one no longer works either.
    expect(errorCodes(await call(REFRESH, { refreshToken: second.refreshToken }))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses malformed and unknown refresh tokens', async () => {
    for (const refreshToken of ['', 'garbage', `${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}.${'A'.repeat(43)}`]) {
      expect(errorCodes(await call(REFRESH, { refreshToken }))).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('signs out one session, or every session of the account', async () => {
    const [phone, laptop, tablet] = [await signIn(), await signIn(), await signIn()];
    const phoneClaims = claims(phone.token);
    const identity = { userId: phoneClaims.userId, roles: phoneClaims.roles, sessionId: phoneClaims.sessionId };
    expect((await call<{ signOut: boolean }>('mutation { signOut }', {}, identity)).data?.signOut).toBe(true);
    expect((await call<{ signOut: boolean }>('mutation { signOut }', {}, identity)).data?.signOut).toBe(false);
    expect(await revocations.isRevoked(phoneClaims)).toBe(true);
    expect(await revocations.isRevoked(claims(laptop.token))).toBe(false);
    expect(errorCodes(await call(REFRESH, { refreshToken: phone.refreshToken }))).toEqual(['UNAUTHENTICATED']);

    const everywhere = await call<{ signOutEverywhere: number }>('mutation { signOutEverywhere }', {}, identity);
    expect(everywhere.data?.signOutEverywhere).toBeGreaterThanOrEqual(2);
    for (const device of [laptop, tablet]) {
      expect(await revocations.isRevoked(claims(device.token))).toBe(true);
      expect(errorCodes(await call(REFRESH, { refreshToken: device.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    }
    // A new sign-in gets the raised version, so it is not revoked with the old ones.
    const fresh = await signIn();
    expect(claims(fresh.token).version).toBeGreaterThan(phoneClaims.version);
    expect(await revocations.isRevoked(claims(fresh.token))).toBe(false);
    expect(errorCodes(await call('mutation { signOut }', {}, ANONYMOUS))).toEqual(['UNAUTHENTICATED']);
  });

  it('a role change revokes the access tokens at once; a refresh carries the new roles', async () => {
    const before = await signIn();
    await withAdminRoles(config, (roles) => roles.grant('sessions@example.com'));
    expect(await revocations.isRevoked(claims(before.token))).toBe(true);
    const after = await call<{ refreshSession: Tokens & { user: { roles: string[] } } }>(REFRESH, { refreshToken: before.refreshToken });
    expect(claims(after.data!.refreshSession.token).roles).toEqual(['shopper', 'admin']);
    expect(await revocations.isRevoked(claims(after.data!.refreshSession.token))).toBe(false);
    await withAdminRoles(config, (roles) => roles.revoke('sessions@example.com'));
    expect(await revocations.isRevoked(claims(after.data!.refreshSession.token))).toBe(true);
  });
});
