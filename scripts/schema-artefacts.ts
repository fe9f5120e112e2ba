import { composeServices } from '@apollo/composition';
import { generate } from '@graphql-codegen/cli';
import { printSubgraphSdl } from '@serendip/federation';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Kind, parse, printSchema, validate, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { TRUSTED_DOCUMENTS_DIR, TRUSTED_DOCUMENTS_MANIFEST, type TrustedDocumentsManifest, trustedDocumentId } from '../gateway/src/trusted-documents';
import { buildCatalogueSchema } from '../subgraphs/catalogue/src/schema';
import { buildFeedbackSchema } from '../subgraphs/feedback/src/schema';
import { buildRecommendationSchema } from '../subgraphs/recommendation/src/schema';
import { buildUserSchema } from '../subgraphs/user/src/schema';

const ROOT = join(__dirname, '..');

/** The subgraphs in the order composition lists them, with their development URLs. */
const SUBGRAPHS: { name: string; port: number; build: () => Promise<GraphQLSchema> }[] = [
  { name: 'user', port: 4001, build: buildUserSchema },
  { name: 'catalogue', port: 4002, build: buildCatalogueSchema },
  { name: 'recommendation', port: 4003, build: buildRecommendationSchema },
  { name: 'feedback', port: 4004, build: buildFeedbackSchema },
];

export interface SchemaArtefact {
  path: string;
  committed: string | null;
  generated: string;
  write(): void;
}

function artefact(absolute: string, generated: string): SchemaArtefact {
  return {
    path: relative(ROOT, absolute),
    committed: existsSync(absolute) ? readFileSync(absolute, 'utf8') : null,
    generated,
    write: () => {
      mkdirSync(dirname(absolute), { recursive: true });
      writeFileSync(absolute, generated);
    },
  };
}

/** Prints every subgraph's SDL from the code and composes the supergraph; throws on composition errors. */
export async function generateSchemaArtefacts(): Promise<SchemaArtefact[]> {
  const services = await Promise.all(
    SUBGRAPHS.map(async ({ name, port, build }) => ({
      name,
      url: `http://127.0.0.1:${port}/graphql`,
      sdl: printSubgraphSdl(await build()),
    })),
  );
  const composed = composeServices(services.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (composed.errors) {
    throw new Error(`composition failed:\n${composed.errors.map((error) => `  ${error.message}`).join('\n')}`);
  }
  const api = composed.schema.toAPISchema().toGraphQLJSSchema();
  const apiSdl = `${printSchema(api).trim()}\n`;
  const client = await typedClient(apiSdl);
  const persisted = client.find((file) => file.filename.endsWith('persisted-documents.json'));
  if (!persisted) throw new Error('codegen wrote no persisted-documents.json');
  const manifest = trustedDocuments(api, JSON.parse(persisted.content) as Record<string, string>);
  return [
    ...services.map(({ name, sdl }) => artefact(join(ROOT, 'subgraphs', name, 'schema.graphql'), sdl)),
    artefact(join(ROOT, 'gateway', 'supergraph.graphql'), `${composed.supergraphSdl.trim()}\n`),
    artefact(API_SCHEMA, apiSdl),
    artefact(TRUSTED_DOCUMENTS_MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`),
    ...client.map(({ filename, content }) => artefact(filename, content)),
  ];
}

/** The API schema clients see (the supergraph without federation's machinery): what codegen types operations against. */
export const API_SCHEMA = join(ROOT, 'gateway', 'api-schema.graphql');
/** Where GraphQL Code Generator's client preset writes the typed operations of `@serendip/client`. */
export const CLIENT_GENERATED = join(ROOT, 'packages', 'client', 'src', 'generated');

/**
 * The typed client: GraphQL Code Generator's client preset over the API schema and the trusted
 * documents, so every first-party operation has its result and variable types, and each document
 * carries its hash (`__meta__.hash`, SHA-256 of the printed text). Those hashes are the trusted
 * documents' ids (`trustedDocuments` hashes the same printed text), so a client sends the id and the
 * gateway runs the text it holds. Generated in memory, as the other artefacts are, so that
 * `schema:check` fails when the operations or the schema drift from the committed client.
 */
async function typedClient(apiSdl: string): Promise<{ filename: string; content: string }[]> {
  // generate() is typed as returning any; with `false` (do not write) it returns the files.
  const outputs = (await generate(
    {
      schema: apiSdl,
      documents: [join(TRUSTED_DOCUMENTS_DIR, '*.graphql')],
      silent: true,
      generates: {
        [`${CLIENT_GENERATED}/`]: {
          preset: 'client',
          presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
          config: { documentMode: 'string', enumsAsTypes: true, useTypeImports: true, skipTypename: true, scalars: CLIENT_SCALARS },
        },
      },
    },
    false,
  )) as { filename: string; content: string }[];
  return outputs.map(({ filename, content }) => ({ filename: resolve(ROOT, filename), content }));
}

/** How the API's custom scalars arrive in JSON. */
const CLIENT_SCALARS = { DateTimeISO: 'string' };

/**
 * The first-party clients' operations (`gateway/trusted-documents/<Name>.graphql`, one named
 * operation each), checked against the API schema and listed in Apollo's persisted query manifest
 * format, which the gateway serves by id. The text and id of each are codegen's (`persisted`: its
 * printed text by SHA-256), so the typed client's ids and the gateway's agree by construction.
 */
function trustedDocuments(api: GraphQLSchema, persisted: Readonly<Record<string, string>>): TrustedDocumentsManifest {
  const files = readdirSync(TRUSTED_DOCUMENTS_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort();
  const printed = new Map(Object.entries(persisted).map(([id, body]) => [operationOf(parse(body))?.name?.value, { id, body }]));
  const operations = files.map((file) => {
    const where = relative(ROOT, join(TRUSTED_DOCUMENTS_DIR, file));
    const document = parse(readFileSync(join(TRUSTED_DOCUMENTS_DIR, file), 'utf8'));
    const name = basename(file, '.graphql');
    const operation = operationOf(document);
    if (document.definitions.length !== 1 || operation?.name?.value !== name) throw new Error(`${where}: must hold one operation, named ${name}`);
    const errors = validate(api, document);
    if (errors.length) throw new Error(`${where} does not validate against the API schema:\n${errors.map((error) => `  ${error.message}`).join('\n')}`);
    const entry = printed.get(name);
    if (!entry) throw new Error(`${where}: codegen printed no document named ${name}`);
    if (trustedDocumentId(entry.body) !== entry.id) throw new Error(`${where}: codegen's id is not the SHA-256 of its text`);
    return { id: entry.id, name, type: operation.operation, body: entry.body };
  });
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

const operationOf = (document: DocumentNode): OperationDefinitionNode | undefined =>
  document.definitions.find((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION);
