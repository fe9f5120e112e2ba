import { AppError, ErrorCode } from './errors';
import { IDENTITY_HEADER, signIdentity, type SubgraphName } from './identity';
import { logger } from '@serendip/telemetry';

interface ServiceResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Who calls which subgraph, and how long it waits. */
export interface ServiceCall {
  /** The calling subgraph, named in the identity. */
  caller: SubgraphName;
  /** The subgraph called: the identity is signed for it alone. */
  target: SubgraphName;
  url: string;
  gatewaySecret: string;
  /** Named in errors. @default "the <target> subgraph" */
  description?: string;
  /** @default 10000 */
  timeoutMs?: number;
}

/**
 * Calls another subgraph's service-only (`@inaccessible`) fields directly, signed with a service
 * identity (role `service`, no user, the caller named) for that subgraph alone: not an admin one,
 * so a leaked service call grants no admin field, and service-only fields take nothing else (see
 * `requireService`). Anything but data (no answer,
 * refusal, GraphQL errors) is SERVICE_UNAVAILABLE naming the service, so a caller that cannot go
 * on without the other subgraph fails the request without writing anything. The reason (the other
 * service's error text, its address, a network error) is logged here and never put in the error,
 * which may reach a client.
 */
export class ServiceClient {
  private readonly service: string;
  private readonly url: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: ServiceCall) {
    this.service = options.description ?? `the ${options.target} subgraph`;
    this.url = options.url;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async call<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    let body: ServiceResponse<T>;
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: this.identity() },
        body: JSON.stringify({ query, variables }),
      });
      // GraphQL errors come with 200 (or 401 for a bad identity); both carry a JSON body worth reading.
      if (!response.ok && response.status !== 401) throw new Error(`HTTP ${response.status}`);
      body = (await response.json()) as ServiceResponse<T>;
    } catch (error) {
      throw this.unavailable(`not answering: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!body.data || (body.errors?.length ?? 0) > 0) {
      const reasons = (body.errors ?? []).map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; ');
      throw this.unavailable(`refused the call (${reasons || 'no data'})`);
    }
    return body.data;
  }

  private identity(): string {
    return signIdentity(this.options.gatewaySecret, { userId: null, roles: ['service'], service: this.options.caller }, this.options.target);
  }

  private unavailable(reason: string): AppError {
    logger().error(`${this.service} at ${this.url} ${reason}`);
    return new AppError(ErrorCode.Unavailable, `${this.service} is not available; try again shortly`);
  }
}
