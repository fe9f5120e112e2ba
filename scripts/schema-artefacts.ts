import { composeServices } from '@apollo/composition';
import { printSubgraphSdl } from '@serendip/federation';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, type GraphQLSchema } from 'graphql';
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
  ];
}
