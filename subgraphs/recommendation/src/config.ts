import { commonEnv, loadConfig, z } from '@serendip/config';

export const recommendationConfigSchema = z.object({
  ...commonEnv,
  RECOMMENDATION_HOST: z.string().default('127.0.0.1'),
  RECOMMENDATION_PORT: z.coerce.number().int().min(0).default(4003),
  /** The catalogue subgraph, asked which products exist (and in which category) when events are tracked. */
  CATALOGUE_URL: z.string().url().default('http://127.0.0.1:4002/graphql'),
});

export type RecommendationConfig = z.infer<typeof recommendationConfigSchema>;

export const loadRecommendationConfig = (env: NodeJS.ProcessEnv = process.env): RecommendationConfig =>
  loadConfig('recommendation subgraph', recommendationConfigSchema, env);
