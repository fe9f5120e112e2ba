import { DataSource, type DataSourceOptions } from 'typeorm';
import { ensureDatabase, type MysqlSettings } from './database';
import { QueryCounter } from './query-counter';

export interface SubgraphDataSourceOptions {
  settings: MysqlSettings;
  database: string;
  entities: DataSourceOptions['entities'];
  migrations: DataSourceOptions['migrations'];
  /** Pool size per process; each subgraph process keeps its own pool. @default 10 */
  poolSize?: number;
  /** Print every statement (debugging). @default false */
  echo?: boolean;
}

export interface SubgraphDataSource {
  dataSource: DataSource;
  queries: QueryCounter;
}

/**
 * Opens a subgraph's database: creates it when missing and applies pending migrations, so a fresh
 * machine needs no manual step. The schema is only ever changed by migrations.
 */
export async function openDataSource(options: SubgraphDataSourceOptions): Promise<SubgraphDataSource> {
  const flavour = await ensureDatabase(options.settings, options.database);
  const queries = new QueryCounter(options.echo ?? false);
  const dataSource = new DataSource({
    type: flavour,
    host: options.settings.MYSQL_HOST,
    port: options.settings.MYSQL_PORT,
    username: options.settings.MYSQL_USER,
    password: options.settings.MYSQL_PASSWORD,
    database: options.database,
    charset: 'utf8mb4_unicode_ci',
    // Timestamps are stored and read as UTC whatever the server's zone.
    timezone: 'Z',
    // BIGINT ids come back as strings, never as imprecise JS numbers.
    supportBigNumbers: true,
    bigNumberStrings: true,
    entities: options.entities,
    migrations: options.migrations,
    migrationsRun: false,
    synchronize: false,
    logging: true,
    logger: queries,
    poolSize: options.poolSize ?? 10,
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return { dataSource, queries };
}
