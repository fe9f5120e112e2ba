import { postGraphQL, type GraphQLResponse } from '@serendip/testing';
import { E2E_ADMIN, readStack } from './stack-env';

/** A client of the e2e stack's gateway, optionally signed in. */
export function gatewayClient(token?: string) {
  const { gatewayUrl } = readStack();
  return <T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> =>
    postGraphQL<T>(gatewayUrl, query, variables, token ? { authorization: `Bearer ${token}` } : {});
}

let accounts = 0;

/** Signs up a fresh shopper and returns a client. */
export async function signUp(email = `shopper${Date.now()}-${(accounts += 1)}@e2e.serendip.test`) {
  const response = await gatewayClient()<{ signUp: { token: string; refreshToken: string; user: { id: string } } }>(
    'mutation ($input: SignUpInput!) { signUp(input: $input) { token refreshToken user { id } } }',
    { input: { email, password: 'e2e-password', displayName: email.split('@')[0] } },
  );
  if (!response.data?.signUp) throw new Error(`sign-up failed: ${JSON.stringify(response.errors)}`);
  const { token, refreshToken, user } = response.data.signUp;
  return { token, refreshToken, userId: user.id, call: gatewayClient(token) };
}

/** Signs in with an email and password and returns a client. */
export async function signIn(email: string, password = 'e2e-password') {
  const response = await gatewayClient()<{ signIn: { token: string; refreshToken: string; user: { id: string } } }>(
    'mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { token refreshToken user { id } } }',
    { email, password },
  );
  if (!response.data?.signIn) throw new Error(`sign-in failed: ${JSON.stringify(response.errors)}`);
  const { token, refreshToken, user } = response.data.signIn;
  return { token, refreshToken, userId: user.id, call: gatewayClient(token) };
}

/** An e2e admin, whom the global setup made an admin: the first, or another of E2E_ADMINS by email (what takes two admins). */
export const admin = (email = E2E_ADMIN.email) => signIn(email, E2E_ADMIN.password);
