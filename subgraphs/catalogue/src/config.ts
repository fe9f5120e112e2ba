import { commonEnv, loadConfig, z } from '@serendip/config';

export const catalogueConfigSchema = z.object({
  ...commonEnv,
  CATALOGUE_HOST: z.string().default('127.0.0.1'),
  CATALOGUE_PORT: z.coerce.number().int().min(0).default(4002),
});

export type CatalogueConfig = z.infer<typeof catalogueConfigSchema>;

export const loadCatalogueConfig = (env: NodeJS.ProcessEnv = process.env): CatalogueConfig =>
  loadConfig('catalogue subgraph', catalogueConfigSchema, env);
