import { resolve } from 'node:path';
import { allDatabasePasswordsEnv, commonEnv, loadConfig, z } from '@serendip/config';

/** The shared data sets sit beside the repository, never inside it: `<repo>/../shared/data`. */
export const DEFAULT_DATA_DIR = resolve(__dirname, '../../../../shared/data');

export const demoDataConfigSchema = z.object({
  ...commonEnv,
  ...allDatabasePasswordsEnv,
  /** Folder holding amazon_beauty_s3rec, online_retail_uci_2010_12_2011_01, … (read only). */
  SERENDIP_DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
});

export type DemoDataConfig = z.infer<typeof demoDataConfigSchema>;

export const loadDemoDataConfig = (env: NodeJS.ProcessEnv = process.env): DemoDataConfig => loadConfig('demo-data', demoDataConfigSchema, env);
