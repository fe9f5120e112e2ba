import { randomBytes } from 'node:crypto';
import { postGraphQL } from '@serendip/testing';
import { startGateway } from '../../../gateway/src/app';
import { loadGatewayConfig } from '../../../gateway/src/config';
import { type RowDataPacket } from 'mysql2/promise';
import { signUp } from '../../support/gateway';
import { readStack } from '../../support/stack-env';
import { stackDatabase, stackSql } from '../../support/stack-sql';

// A gateway of its own in front of the stack's subgraphs, with the production limits on sign-in:
// the stack's own gateway lets this suite's thousands of loopback requests through.
let gateway: Awaited<ReturnType<typeof startGateway>>;

beforeAll(async () => {
  const { env, subgraphUrls } = readStack();
  gateway = await startGateway(
    loadGatewayConfig({
      ...env,
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'error',
      QUEUE_PREFIX: `t_${randomBytes(4).toString('hex')}`,
      // Hour-long windows: a minute's boundary falling inside a test would reset its counts.
      RATE_LIMIT_WINDOW_SECONDS: '3600',
      RATE_LIMIT_SIGNIN_WINDOW_SECONDS: '3600',
      RATE_LIMIT_AUTH_PER_ADDRESS: '10',
      RATE_LIMIT_SIGNIN_PER_ACCOUNT: '5',
      RATE_LIMIT_PER_ADDRESS: '600',
      USER_URL: subgraphUrls.user,
      CATALOGUE_URL: subgraphUrls.catalogue,
      RECOMMENDATION_URL: subgraphUrls.recommendation,
      FEEDBACK_URL: subgraphUrls.feedback,
    }),
  );
});

afterAll(async () => {
  await gateway?.stop();
});

/** User rows with these emails. */
async function accountsWith(emails: readonly string[]): Promise<number> {
  const sql = await stackSql();
  try {
    const [rows] = await sql.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${stackDatabase('user')}.\`user\` WHERE email IN (?)`, [emails]);
    return Number(rows[0]!.n);
  } finally {
    await sql.end();
  }
}

const SIGN_IN = 'mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }';

describe('attacks on sign-in', () => {
  it("guessing one account's password stops after five tries, the right password included", async () => {
    const victim = `victim-${randomBytes(4).toString('hex')}@e2e.serendip.test`;
    await signUp(victim);
    for (let guess = 0; guess < 5; guess += 1) {
      const wrong = await postGraphQL(gateway.url, SIGN_IN, { email: victim, password: `guess-${guess}` });
      expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const right = await postGraphQL(gateway.url, SIGN_IN, { email: victim, password: 'e2e-password' });
    expect(right.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'account' });
    expect(right.data ?? null).toBeNull();
  });

  it('signing up account after account from one address stops at the limit, and a refused sign-up creates no account', async () => {
    const emails = Array.from({ length: 10 }, () => `farmed-${randomBytes(4).toString('hex')}@e2e.serendip.test`);
    const codes: (string | undefined)[] = [];
    for (const email of emails) {
      const response = await postGraphQL(gateway.url, 'mutation ($input: SignUpInput!) { signUp(input: $input) { token } }', {
        input: { email, password: 'e2e-password', displayName: 'farmed' },
      });
      codes.push(response.errors?.[0]?.extensions?.code);
    }
    // Ten sign-in and sign-up operations per address and window; the previous test used six.
    expect(codes).toEqual([undefined, undefined, undefined, undefined, ...Array(6).fill('RATE_LIMITED')]);
    expect(await accountsWith(emails)).toBe(4);
  });
});
