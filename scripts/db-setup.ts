/**
 * `pnpm db:setup`: creates every subgraph's database and its account (`<prefix>_<subgraph>`,
 * password `<SUBGRAPH>_DB_PASSWORD`, privileges on its own database only), or brings them up to
 * date, as the admin account (MYSQL_ADMIN_USER). The one step that needs that account: `npm start`
 * and the e2e set-up run it before any process starts, docker compose as its `setup` service, and
 * no serving process is given the admin account. Exit codes: 0 done, 78 bad configuration, 1 the
 * server refused (an admin account that cannot create accounts or grant, say).
 */
import { allDatabasePasswordsEnv, commonEnv, ConfigError, loadConfig, mysqlAdminEnv, z } from '@serendip/config';
import { DATABASE_OWNERS, databaseAccount, provisionDatabases } from '@serendip/db';

export const dbSetupConfigSchema = z.object({
  NODE_ENV: commonEnv.NODE_ENV,
  MYSQL_HOST: commonEnv.MYSQL_HOST,
  MYSQL_PORT: commonEnv.MYSQL_PORT,
  MYSQL_DATABASE_PREFIX: commonEnv.MYSQL_DATABASE_PREFIX,
  ...mysqlAdminEnv,
  ...allDatabasePasswordsEnv,
});

export type DbSetupConfig = z.infer<typeof dbSetupConfigSchema>;

export const loadDbSetupConfig = (env: NodeJS.ProcessEnv = process.env): DbSetupConfig => loadConfig('db:setup', dbSetupConfigSchema, env);

/** Settings only the set-up may hold: a stack's processes are started without them. */
export const ADMIN_SETTINGS = Object.keys(mysqlAdminEnv);

/** Creates or updates the four databases and their accounts. */
export const setUpDatabases = (config: DbSetupConfig): Promise<void> => provisionDatabases(config, DATABASE_OWNERS);

async function main(): Promise<number> {
  try {
    const config = loadDbSetupConfig();
    await setUpDatabases(config);
    const accounts = DATABASE_OWNERS.map((owner) => databaseAccount(config, owner)).join(', ');
    console.info(`db:setup: ${accounts} on ${config.MYSQL_HOST}:${config.MYSQL_PORT}, each limited to its own database`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 78;
    }
    console.error('db:setup: failed:', error instanceof Error ? error.message : error);
    return 1;
  }
}

if (require.main === module) void main().then((code) => process.exit(code));
