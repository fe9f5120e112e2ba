import { composeServices } from '@apollo/composition';
import { printSubgraphSdl } from '@serendip/federation';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { Kind, parse, validate, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
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
    write: () => writeFileSync(absolute, generated),
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
  return [
    ...services.map(({ name, sdl }) => artefact(join(ROOT, 'subgraphs', name, 'schema.graphql'), sdl)),
    artefact(join(ROOT, 'gateway', 'supergraph.graphql'), `${composed.supergraphSdl.trim()}\n`),
    artefact(TRUSTED_DOCUMENTS_MANIFEST, `${JSON.stringify(trustedDocuments(composed.schema.toAPISchema().toGraphQLJSSchema()), null, 2)}\n`),
  ];
}

/**
 * The first-party clients' operations (`gateway/trusted-documents/<Name>.graphql`, one named
 * operation each), checked against the API schema and listed with their ids in Apollo's persisted
 * query manifest format, which the gateway serves by id.
 */
function trustedDocuments(api: GraphQLSchema): TrustedDocumentsManifest {
  const files = readdirSync(TRUSTED_DOCUMENTS_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort();
  const operations = files.map((file) => {
    const body = readFileSync(join(TRUSTED_DOCUMENTS_DIR, file), 'utf8').trim();
    const where = relative(ROOT, join(TRUSTED_DOCUMENTS_DIR, file));
    const document = parse(body);
    const definitions = document.definitions.filter((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION);
    const name = basename(file, '.graphql');
    if (document.definitions.length !== 1 || definitions[0]?.name?.value !== name) throw new Error(`${where}: must hold one operation, named ${name}`);
    const errors = validate(api, document);
    if (errors.length) throw new Error(`${where} does not validate against the API schema:\n${errors.map((error) => `  ${error.message}`).join('\n')}`);
    return { id: trustedDocumentId(body), name, type: definitions[0].operation, body };
  });
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}
