import { createClient as createSocketClient, type Client as SocketClient, type ClientOptions as SocketOptions } from 'graphql-ws';
import type { TypedDocumentString } from './generated/graphql';

/** One GraphQL error as the gateway formats it: a message and a code a client can act on. */
export interface GraphQLErrorBody {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string } & Record<string, unknown>;
}

/** The gateway answered with errors (or no data): the errors, their codes, and the HTTP status. */
export class ClientError extends Error {
  override readonly name = 'ClientError';

  constructor(
    readonly errors: readonly GraphQLErrorBody[],
    readonly status: number,
  ) {
    super(errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; ') || `HTTP ${status}`);
  }

  get codes(): (string | undefined)[] {
    return this.errors.map((error) => error.extensions?.code);
  }
}

export interface SerendipClientOptions {
  /** The gateway's GraphQL endpoint over HTTP(S); subscriptions use the same path over WS(S). */
  url: string;
  /** The signed-in shopper's bearer token, read for every request and connection, so a refreshed token is used at once. */
  token?: () => string | null | undefined;
  fetch?: typeof fetch;
  /** A WebSocket implementation where there is no global one (Node before 22: the `ws` package). */
  webSocketImpl?: SocketOptions['webSocketImpl'];
}

/** What a subscription delivers to. */
export interface SubscriptionSink<TResult> {
  next(data: TResult): void;
  error?(error: unknown): void;
  complete?(): void;
}

/** Variables are optional exactly when the operation has none that are required. */
type VariablesArgument<TVariables> = Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

interface ExecutionResult {
  data?: unknown;
  errors?: GraphQLErrorBody[];
}

/**
 * The typed client of the first-party apps. It runs only generated documents
 * (`packages/client/src/generated`, from `gateway/trusted-documents`) and sends each by its id:
 * the gateway runs the text it holds for that id, so these requests pass where the gateway accepts
 * trusted documents only (production), and a document the gateway does not know is an error
 * (`TRUSTED_DOCUMENT_NOT_FOUND`), never a silent fallback to text.
 */
export class SerendipClient {
  private socket: SocketClient | null = null;

  constructor(private readonly options: SerendipClientOptions) {}

  async request<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, ...[variables]: VariablesArgument<TVariables>): Promise<TResult> {
    const token = this.options.token?.();
    const response = await (this.options.fetch ?? fetch)(this.options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        // The gateway's CSRF prevention wants a header no simple cross-site form can send.
        'x-serendip-csrf': '1',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ documentId: `sha256:${documentHash(document)}`, variables: variables ?? {} }),
    });
    let result: ExecutionResult;
    try {
      result = (await response.json()) as ExecutionResult;
    } catch {
      throw new ClientError([{ message: `the gateway answered HTTP ${response.status} without a GraphQL result` }], response.status);
    }
    if (result.errors?.length || result.data === undefined || result.data === null) throw new ClientError(result.errors ?? [], response.status);
    return result.data as TResult;
  }

  /** Subscribes over graphql-ws; returns the function that ends the subscription. */
  subscribe<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables, sink: SubscriptionSink<TResult>): () => void {
    return this.connection().subscribe<TResult>(
      // The gateway swaps the id for the text it holds; `query` must still be a string.
      { query: '', variables: variables as Record<string, unknown>, extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(document) } } },
      {
        next: (result) => {
          if (result.errors?.length || result.data === undefined || result.data === null) {
            sink.error?.(new ClientError(result.errors ?? [], 200));
            return;
          }
          sink.next(result.data);
        },
        error: (error) => sink.error?.(error),
        complete: () => sink.complete?.(),
      },
    );
  }

  /** Closes the subscription connection, if one is open (a signed-out shopper's, for one). */
  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    await socket?.dispose();
  }

  private connection(): SocketClient {
    this.socket ??= createSocketClient({
      url: this.options.url.replace(/^http/, 'ws'),
      lazy: true,
      connectionParams: () => {
        const token = this.options.token?.();
        return token ? { authorization: `Bearer ${token}` } : {};
      },
      ...(this.options.webSocketImpl !== undefined && { webSocketImpl: this.options.webSocketImpl }),
    });
    return this.socket;
  }
}

/** A generated document's trusted-document id; codegen writes it, so one without is a stale build. */
export function documentHash(document: { __meta__?: Record<string, unknown> }): string {
  const hash: unknown = document.__meta__?.hash;
  if (typeof hash !== 'string') throw new Error('this document has no hash: regenerate the client (pnpm schema:write)');
  return hash;
}
