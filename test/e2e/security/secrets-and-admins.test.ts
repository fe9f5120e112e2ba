import { randomUUID } from 'node:crypto';
/**
 * Issue 18, items 1 and 2, as an attacker would try them against the running platform: tokens and
 * identities signed with the development secrets Serendip's source used to publish, and admin
 * rights claimed by signing up with an address. Each attack must fail and write nothing.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { commonEnv, loadConfig, z } from '@serendip/config';
import { signAccessToken, signIdentity, verifyAccessToken, SUBGRAPHS } from '@serendip/federation';
import { errorCodes, postGraphQL } from '@serendip/testing';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { admin, gatewayClient, signIn, signUp } from '../../support/gateway';
import { E2E_ADMIN, readStack } from '../../support/stack-env';
import { stackSql } from '../../support/stack-sql';

/** What the source shipped as development defaults until issue 18. */
const OLD_JWT_SECRET = 'serendip-development-jwt-secret';
const OLD_GATEWAY_SECRET = 'serendip-development-gateway-secret';
/** `npm start` put this address in ADMIN_EMAILS, so whoever signed up with it first became an admin. */
const OLD_DEMO_ADMIN_EMAIL = 'admin@serendip.dev';

const ROOT = join(__dirname, '..', '..', '..');
const stack = readStack();
const settings = loadConfig('e2e security', z.object(commonEnv), { ...process.env, ...stack.env });
const CREATE_CATEGORY = 'mutation ($name: String!) { createCategory(input: { name: $name }) { id } }';
const GRANT = 'mutation ($email: String!) { grantAdmin(email: $email) { roles } }';
const REVOKE = 'mutation ($email: String!) { revokeAdmin(email: $email) { roles } }';

let sql: Connection;

beforeAll(async () => {
  sql = await stackSql();
});

afterAll(async () => {
  await sql.end();
});

/** Categories with this name: other test files create categories at the same time, so only the attempted one is counted. */
async function categories(name: string): Promise<number> {
  const [rows] = await sql.query<({ n: number } & RowDataPacket)[]>(
    `SELECT COUNT(*) AS n FROM \`${settings.MYSQL_DATABASE_PREFIX}_catalogue\`.category WHERE name = ?`,
    [name],
  );
  return Number(rows[0]!.n);
}

/** The roles of these accounts (absent ones left out), to show a refused role change wrote nothing; other files sign up and grant meanwhile. */
async function accounts(...emails: string[]): Promise<Record<string, string>> {
  const [rows] = await sql.query<({ email: string; roles: string } & RowDataPacket)[]>(
    `SELECT email, roles FROM \`${settings.MYSQL_DATABASE_PREFIX}_user\`.\`user\` WHERE email IN (?) ORDER BY email`,
    [emails],
  );
  return Object.fromEntries(rows.map((row) => [row.email, row.roles]));
}

/** Runs `pnpm admin:<action>`'s command against the e2e stack's database. */
function adminCommand(...args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'subgraphs/user/src/admin-cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...stack.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

const tokenRoles = (token: string) => {
  const verified = verifyAccessToken(stack.env.JWT_SECRET!, token);
  return verified.ok ? verified.roles : verified.reason;
};

describe('1. secrets', () => {
  it('a session token signed with the old development JWT secret is refused: no admin, no write', async () => {
    const { userId } = await admin();
    const forged = signAccessToken(OLD_JWT_SECRET, { userId: userId, roles: ['shopper', 'admin'], sessionId: randomUUID(), version: 0 }, 600).token;
    const before = await categories('Forged with the old JWT secret');
    const write = await gatewayClient(forged)(CREATE_CATEGORY, { name: 'Forged with the old JWT secret' });
    expect(write.status).toBe(401);
    expect(errorCodes(write)).toEqual(['UNAUTHENTICATED']);
    expect(write.data ?? null).toBeNull();
    expect(await categories('Forged with the old JWT secret')).toBe(before);
  });

  it('an identity signed with the old development gateway secret is refused by every subgraph: no write', async () => {
    const { userId } = await admin();
    const identity = { 'x-serendip-identity': signIdentity(OLD_GATEWAY_SECRET, { userId, roles: ['shopper', 'admin'] }, SUBGRAPHS) };
    for (const url of Object.values(stack.subgraphUrls)) {
      const read = await postGraphQL(url, '{ __typename }', {}, identity);
      expect({ url, status: read.status, codes: errorCodes(read) }).toEqual({ url, status: 401, codes: ['UNAUTHENTICATED'] });
    }
    const shopper = await signUp();
    const email = (await shopper.call<{ me: { email: string } }>('{ me { email } }')).data!.me.email;
    const before = { categories: await categories('Forged with the old gateway secret'), accounts: await accounts(email) };
    const write = await postGraphQL(stack.subgraphUrls.catalogue, CREATE_CATEGORY, { name: 'Forged with the old gateway secret' }, identity);
    expect(errorCodes(write)).toEqual(['UNAUTHENTICATED']);
    const grant = await postGraphQL(stack.subgraphUrls.user, GRANT, { email }, identity);
    expect(errorCodes(grant)).toEqual(['UNAUTHENTICATED']);
    expect({ categories: await categories('Forged with the old gateway secret'), accounts: await accounts(email) }).toEqual(before);
  });

  it('a process started as `npm start` starts it (NODE_ENV unset) refuses the old development values', async () => {
    const { NODE_ENV: _unset, ...env } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/src/main.ts'], {
      cwd: ROOT,
      env: { ...env, GATEWAY_PORT: '0', JWT_SECRET: OLD_JWT_SECRET, GATEWAY_SECRET: OLD_GATEWAY_SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(78);
    expect(err).toMatch(/GATEWAY_SECRET: is a development value published in Serendip's source/);
    expect(err).toMatch(/JWT_SECRET: is a development value published in Serendip's source/);
  }, 30_000);
});

describe('2. admins', () => {
  it('signing up with an address ADMIN_EMAILS used to promote gives no admin role', async () => {
    const response = await gatewayClient()<{ signUp: { token: string; user: { roles: string[] } } }>(
      'mutation ($input: SignUpInput!) { signUp(input: $input) { token user { roles } } }',
      { input: { email: OLD_DEMO_ADMIN_EMAIL, password: 'claimed-by-anyone', displayName: 'Not an admin' } },
    );
    expect(response.data?.signUp.user.roles).toEqual(['shopper']);
    const token = response.data!.signUp.token;
    expect(tokenRoles(token)).toEqual(['shopper']);
    const before = await categories('Claimed admin');
    expect(errorCodes(await gatewayClient(token)(CREATE_CATEGORY, { name: 'Claimed admin' }))).toEqual(['FORBIDDEN']);
    expect(await categories('Claimed admin')).toBe(before);
  });

  it('grantAdmin and revokeAdmin by anyone but an admin are refused and write nothing', async () => {
    const email = `climber-${Date.now()}@e2e.serendip.test`;
    const shopper = await signUp(email);
    const before = await accounts(email, E2E_ADMIN.email);
    for (const [mutation, target] of [
      [GRANT, email],
      [REVOKE, E2E_ADMIN.email],
    ] as const) {
      expect(errorCodes(await shopper.call(mutation, { email: target }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await gatewayClient()(mutation, { email: target }))).toEqual(['UNAUTHENTICATED']);
    }
    expect(await accounts(email, E2E_ADMIN.email)).toEqual(before);
  });

  it("the operator grants with pnpm admin:grant; the grantee's old token is revoked and the next one carries the role", async () => {
    const email = `grantee-${Date.now()}@e2e.serendip.test`;
    const grantee = await signUp(email);
    const run = await adminCommand('grant', email);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(`${email} (${grantee.userId}) is now an admin`);
    // The grant revoked the token from before it (docs/security.md, section 4); the next one carries the role.
    expect((await grantee.call('{ me { id } }')).errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'REVOKED' });
    const signedIn = await signIn(email);
    expect(tokenRoles(signedIn.token)).toEqual(['shopper', 'admin']);
    expect((await signedIn.call(CREATE_CATEGORY, { name: `Granted ${email}` })).errors).toBeUndefined();
    expect(await categories(`Granted ${email}`)).toBe(1);
  }, 30_000);

  it('an admin grants and revokes through the gateway; once revoked, a token from before cannot grant again', async () => {
    const boss = await admin();
    const email = `deputy-${Date.now()}@e2e.serendip.test`;
    await signUp(email);
    expect((await boss.call<{ grantAdmin: { roles: string[] } }>(GRANT, { email })).data?.grantAdmin.roles).toEqual(['shopper', 'admin']);
    const deputy = await signIn(email);
    expect(tokenRoles(deputy.token)).toEqual(['shopper', 'admin']);

    expect((await boss.call<{ revokeAdmin: { roles: string[] } }>(REVOKE, { email })).data?.revokeAdmin.roles).toEqual(['shopper']);
    const before = await accounts(email, E2E_ADMIN.email);
    // The revocation revoked the deputy's token itself (item 4): it is refused before any subgraph sees it.
    for (const attempt of [await deputy.call(GRANT, { email }), await deputy.call(REVOKE, { email: E2E_ADMIN.email })]) {
      expect(attempt.status).toBe(401);
      expect(attempt.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'REVOKED' });
    }
    expect(await accounts(email, E2E_ADMIN.email)).toEqual(before);
    expect(tokenRoles((await signIn(email)).token)).toEqual(['shopper']);
  });
});
