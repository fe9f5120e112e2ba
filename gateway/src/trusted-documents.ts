import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { projectPath } from '@serendip/config';
import type { Identity } from '@serendip/federation';
import { GraphQLError } from 'graphql';

/** The first-party clients' operations, one `<Name>.graphql` each: what the storefront may run. */
export const TRUSTED_DOCUMENTS_DIR = projectPath('gateway', 'trusted-documents');
/** Written by `pnpm schema:write` from that folder, validated against the API schema. */
export const TRUSTED_DOCUMENTS_MANIFEST = projectPath('gateway', 'trusted-documents.json');

/** Apollo's persisted query manifest format, which client tooling reads and writes. */
export interface TrustedDocumentsManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }[];
}

/** A document's id: the SHA-256 of its text, in hex (what Apollo clients send as `sha256Hash`). */
export const trustedDocumentId = (body: string): string => createHash('sha256').update(body).digest('hex');

/**
 * Who may send an operation's text instead of a trusted document's id:
 * - `allow`: anyone (development, and stacks driven by tests and benchmarks);
 * - `admins`: signed-in admins only (the Sandbox, the merchant console's ad-hoc queries);
 * - `deny`: no one.
 */
export type ArbitraryOperations = 'allow' | 'admins' | 'deny';

/** The manifest's documents by id; a broken file stops the gateway from starting, not a request. */
export function loadTrustedDocuments(file: string): Map<string, string> {
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as TrustedDocumentsManifest;
  if (manifest.format !== 'apollo-persisted-query-manifest' || !Array.isArray(manifest.operations)) {
    throw new Error(`${file} is not a persisted query manifest`);
  }
  return new Map(manifest.operations.map((operation) => [operation.id, operation.body]));
}

/** The id a request names: `documentId` (`sha256:<hex>` or bare hex) or Apollo's `extensions.persistedQuery.sha256Hash`. */
export function requestedDocumentId(params: { documentId?: unknown; extensions?: unknown }): string | null {
  if (typeof params.documentId === 'string') return params.documentId.replace(/^sha256:/, '');
  const persisted = (params.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | undefined)?.persistedQuery;
  return persisted?.version === 1 && typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : null;
}

/** Whether this caller may send operation text under `policy`. */
export const mayRunArbitrary = (policy: ArbitraryOperations, identity: Identity): boolean =>
  policy === 'allow' || (policy === 'admins' && identity.roles.includes('admin'));

const ARBITRARY_REFUSED = 'This gateway runs only the trusted documents of its first-party clients: send { "documentId": "sha256:<id>" } instead of the text';
const onlyTrusted = () => new GraphQLError(ARBITRARY_REFUSED, { extensions: { code: 'TRUSTED_DOCUMENTS_ONLY' } });
const notFound = () => new GraphQLError('No trusted document has this id', { extensions: { code: 'TRUSTED_DOCUMENT_NOT_FOUND' } });

/**
 * Trusted documents (persisted operations): first-party clients send a document's id, and
 * operation text is run only for callers `arbitrary` lets send it. HTTP requests are checked by
 * the gateway runtime's persisted-documents stage (`runtimeOptions`); WebSocket operations, whose
 * refusals that stage would turn into a closed socket, are checked when they subscribe
 * (`vetSocketOperation`) and then let through it.
 */
export class TrustedDocuments {
  private readonly vetted = new WeakSet<Request>();

  constructor(
    private readonly documents: ReadonlyMap<string, string>,
    private readonly arbitrary: ArbitraryOperations,
  ) {}

  runtimeOptions(identityOf: (request: Request) => Identity) {
    return {
      getPersistedOperation: (id: string) => this.documents.get(id) ?? null,
      extractPersistedOperationId: (params: { documentId?: unknown; extensions?: unknown }) => requestedDocumentId(params),
      allowArbitraryDocuments: (request: Request) => this.vetted.has(request) || mayRunArbitrary(this.arbitrary, identityOf(request)),
      customErrors: { persistedQueryOnly: onlyTrusted, keyNotFound: onlyTrusted, notFound },
    };
  }

  /** Puts a trusted document's text in place of its id, or refuses (the error to answer with). */
  vetSocketOperation(payload: { query: string; extensions?: unknown }, identity: Identity): GraphQLError | null {
    const id = requestedDocumentId(payload);
    if (id !== null) {
      const text = this.documents.get(id);
      if (text === undefined) return notFound();
      payload.query = text;
      return null;
    }
    return mayRunArbitrary(this.arbitrary, identity) ? null : onlyTrusted();
  }

  /** The request a vetted WebSocket operation runs under: the runtime's stage lets it through. */
  markVetted(request: Request): void {
    this.vetted.add(request);
  }
}
