import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { buildSchema, createResolversMap, type BuildSchemaOptions, type PubSub } from 'type-graphql';

/** Federation 2 directives our subgraphs use. */
const FEDERATION_LINK = `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@inaccessible"])
`;

/**
 * type-graphql builds no schema with a @Subscription unless it is given a pubSub, even when every
 * subscription brings its own `subscribe`. Ours must (live state wants a first value and coalesced
 * updates, more than a topic gives), so topic-based subscriptions are refused instead.
 */
const OWN_SUBSCRIBE_ONLY: PubSub = {
  publish() {
    throw new Error('@PubSub() is not available: publish to Redis through @serendip/jobs topics');
  },
  subscribe(routingKey) {
    throw new Error(`@Subscription({ topics: '${routingKey}' }) is not supported: give it a subscribe function`);
  },
};

/** `__resolveReference` functions keyed by entity type name. */
export type ReferenceResolvers = Record<string, { __resolveReference: (reference: never, context: never) => unknown }>;

export interface FederatedSchemaOptions {
  // type-graphql takes resolver classes.
  resolvers: BuildSchemaOptions['resolvers'];
  /** Types not reachable from a resolver but part of the schema (entity stubs, for instance). */
  orphanedTypes?: BuildSchemaOptions['orphanedTypes'];
  references?: ReferenceResolvers;
}

/**
 * Builds a federation 2 subgraph schema from type-graphql classes: type-graphql prints the SDL
 * with its `@key`/`@shareable` directives, `@apollo/subgraph` adds `_entities` and `_service`.
 */
export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes ?? [],
    // A subgraph may have no Query of its own; composition checks the whole graph instead.
    skipCheck: true,
    validate: false,
    pubSub: OWN_SUBSCRIBE_ONLY,
  });
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, reference] of Object.entries(options.references ?? {})) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...reference };
  }
  return buildSubgraphSchema({
    typeDefs: gql`
      ${FEDERATION_LINK}
      ${printSchemaWithDirectives(schema)}
    `,
    resolvers: resolvers as GraphQLResolverMap<unknown>,
  });
}

/**
 * The end of the description of a field one subgraph adds to another's entity (`Product.ratingSummary`
 * from feedback): such fields are nullable, so when the subgraph that resolves them is down the
 * gateway answers the entity with that field null and an error, not `data: null` for the whole page.
 */
export const nullWhenUnavailable = (subgraph: string) => ` Null (with a SERVICE_UNAVAILABLE error) when the ${subgraph} subgraph does not answer.`;
