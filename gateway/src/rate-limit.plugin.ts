import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { RedisClient } from '@serendip/config';
import {
  getOperationAST,
  GraphQLError,
  Kind,
  OperationTypeNode,
  valueFromAST,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { hmacKey } from '@serendip/federation';
import type { IdentityForwarding } from './identity.plugin';

/** What one client may do per window; every count is shared by all gateway replicas through Redis. */
export interface RateLimits {
  windowSeconds: number;
  /** HTTP requests and WebSocket operations per client address. */
  perAddress: number;
  /** Operations per signed-in shopper, whatever address they come from. */
  perShopper: number;
  /** signIn and signUp operations per client address: password guessing and account farming. */
  authPerAddress: number;
  /** signIn attempts per account (email) in `signInWindowSeconds`, from any address: guessing one password from many. */
  signInPerAccount: number;
  signInWindowSeconds: number;
  /** Read the client address from X-Forwarded-For (first entry): only behind a proxy that sets it. */
  trustProxy: boolean;
}

/** A refused request: which limit, and in how many seconds its window ends. */
interface Refusal {
  limit: string;
  retryAfter: number;
}

const AUTH_FIELDS = new Set(['signIn', 'signUp']);

/**
 * Fixed-window counters in Redis: one INCR per hit, the key expiring with its window. A window
 * lets a burst of twice the limit through across its edge, which is fine for what these stop:
 * guessing, scraping and floods are thousands of requests, not two windows' worth.
 */
export class RedisRateCounter {
  private warnedAt = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    /** Keys the who of each count (address, shopper, email) with an HMAC: Redis never holds a shopper's id or email. */
    private readonly keySecret: string,
    private readonly log: (message: string) => void,
  ) {}

  /**
   * Counts one hit of `limit:who` (the limit's name, then whom it counts); a refusal when it is
   * over `limit`. Redis being down lets the hit through (logged): the gateway stays up.
   */
  async hit(key: string, limit: number, windowSeconds: number, now = Date.now()): Promise<Refusal | null> {
    const window = Math.floor(now / 1000 / windowSeconds);
    const [kind, ...who] = key.split(':');
    const pseudonym = createHmac('sha256', hmacKey(this.keySecret)).update(who.join(':')).digest('hex').slice(0, 24);
    const name = `${this.prefix}:rate:${kind}:${pseudonym}:${window}`;
    try {
      const [[, count]] = (await this.redis
        .multi()
        .incr(name)
        .expire(name, windowSeconds + 1)
        .exec()) as [[Error | null, number]];
      if (count <= limit) return null;
      return { limit: kind!, retryAfter: Math.max(1, Math.ceil((window + 1) * windowSeconds - now / 1000)) };
    } catch (error) {
      if (now - this.warnedAt > 60_000) {
        this.warnedAt = now;
        this.log(`rate limits not enforced, Redis unavailable: ${(error as Error).message}`);
      }
      return null;
    }
  }
}

/** Counts made together (one round trip's wait); the first refusal in the given order, or null. */
async function firstRefusal(hits: readonly Promise<Refusal | null>[]): Promise<Refusal | null> {
  return (await Promise.all(hits)).find((refused) => refused) ?? null;
}

function addressOf(req: IncomingMessage | undefined, trustProxy: boolean): string {
  const forwarded = trustProxy ? req?.headers['x-forwarded-for'] : undefined;
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first || req?.socket.remoteAddress || 'unknown';
}

function refusal({ limit, retryAfter }: Refusal): GraphQLError {
  return new GraphQLError(`Too many requests (${limit} limit); try again in ${retryAfter} s`, { extensions: { code: 'RATE_LIMITED', limit, retryAfter } });
}

/** The emails of the signIn calls in an operation, as sent (literal or variable). */
function signInEmails(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): string[] {
  const email = schema
    .getMutationType()
    ?.getFields()
    .signIn?.args.find((argument) => argument.name === 'email');
  if (!email) return [];
  return operation.selectionSet.selections.flatMap((selection) => {
    if (selection.kind !== Kind.FIELD || selection.name.value !== 'signIn') return [];
    const given = selection.arguments?.find((argument) => argument.name.value === 'email');
    const value: unknown = given ? valueFromAST(given.value, email.type, variables) : undefined;
    return typeof value === 'string' ? [value.trim().toLowerCase()] : [];
  });
}

/**
 * Per-address, per-shopper and sign-in limits, counted in Redis across replicas. Every HTTP request
 * counts against its address and, with a valid bearer token, its shopper before anything is parsed
 * (refused with HTTP 429 and Retry-After); every WebSocket operation against both; signIn and signUp against the address
 * far more strictly, and each signIn against the account it tries. A refused operation is answered
 * RATE_LIMITED with `retryAfter` and never reaches a subgraph.
 */
export function rateLimits(limits: RateLimits, counter: RedisRateCounter, identity: IdentityForwarding): GatewayPlugin {
  const operationLimits = async (args: {
    schema: GraphQLSchema;
    document: DocumentNode;
    operationName?: string | null;
    variableValues?: unknown;
    contextValue: unknown;
  }): Promise<Refusal | null> => {
    const context = args.contextValue as { request?: Request; req?: IncomingMessage; rateCountedRequest?: boolean };
    const address = addressOf(context.req, limits.trustProxy);
    // An HTTP request was counted against its address and shopper in onRequest; a WebSocket operation is counted here.
    if (!context.rateCountedRequest) {
      const shopper = context.request ? identity.identityOf(context.request).userId : null;
      const refused = await firstRefusal([
        counter.hit(`address:${address}`, limits.perAddress, limits.windowSeconds),
        ...(shopper ? [counter.hit(`shopper:${shopper}`, limits.perShopper, limits.windowSeconds)] : []),
      ]);
      if (refused) return refused;
    }
    const operation = getOperationAST(args.document, args.operationName);
    if (operation?.operation !== OperationTypeNode.MUTATION) return null;
    const auth = operation.selectionSet.selections.some((selection) => selection.kind === Kind.FIELD && AUTH_FIELDS.has(selection.name.value));
    if (!auth) return null;
    const refused = await counter.hit(`auth:${address}`, limits.authPerAddress, limits.windowSeconds);
    if (refused) return refused;
    for (const email of signInEmails(args.schema, operation, args.variableValues as Record<string, unknown> | undefined)) {
      const tooMany = await counter.hit(`account:${email}`, limits.signInPerAccount, limits.signInWindowSeconds);
      if (tooMany) return tooMany;
    }
    return null;
  };

  return {
    onRequest: async (payload) => {
      const { request, serverContext, fetchAPI } = payload;
      const req = (serverContext as { req?: IncomingMessage }).req;
      // Health checks are the orchestrator's, not a client's.
      if (new URL(request.url).pathname !== '/graphql') return;
      // The token's revocation read begins now, beside the counts: a signed-in shopper's request
      // waits for one Redis round trip before it is parsed, not three in a row. The shopper is the
      // token's as verified (signature, expiry), so nobody can spend another shopper's allowance.
      void identity.identified(request);
      const bearer = identity.bearerOf(request);
      const shopper = 'error' in bearer ? null : bearer.identity.userId;
      const refused = await firstRefusal([
        counter.hit(`address:${addressOf(req, limits.trustProxy)}`, limits.perAddress, limits.windowSeconds),
        ...(shopper ? [counter.hit(`shopper:${shopper}`, limits.perShopper, limits.windowSeconds)] : []),
      ]);
      if (!refused) return;
      payload.endResponse(
        new fetchAPI.Response(JSON.stringify({ errors: [refusal(refused).toJSON()] }), {
          status: 429,
          headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(refused.retryAfter) },
        }),
      );
    },
    onContextBuilding: ({ context, extendContext }) => {
      // An HTTP request was counted against its address and shopper in onRequest; a WebSocket operation was not.
      if ((context as { request?: Request }).request && !(context as { socket?: unknown }).socket) extendContext({ rateCountedRequest: true });
    },
    onExecute: async ({ args, setResultAndStopExecution }) => {
      const refused = await operationLimits(args);
      if (refused) setResultAndStopExecution({ errors: [refusal(refused)] });
    },
    onSubscribe: async ({ args, setResultAndStopExecution }) => {
      const refused = await operationLimits(args);
      if (refused) setResultAndStopExecution({ errors: [refusal(refused)] });
    },
  };
}
