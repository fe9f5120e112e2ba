import { DataSource, type DataSourceOptions } from 'typeorm';
import { databaseAccount, databaseName, databasePasswordName, serverFlavour, type DatabaseAccountSettings, type DatabaseOwner } from './database';
import { QueryCounter } from './query-counter';

export interface SubgraphDataSourceOptions<O extends DatabaseOwner> {
  settings: DatabaseAccountSettings<O>;
  /** Whose database: it is opened as that subgraph's own account, never an admin one. */
  owner: O;
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
 * Opens a subgraph's database as its own account and applies pending migrations. The database and
 * the account are the set-up's (`provisionDatabase`); the schema is only ever changed by migrations.
 */
export async function openDataSource<O extends DatabaseOwner>(options: SubgraphDataSourceOptions<O>): Promise<SubgraphDataSource> {
  const { settings, owner } = options;
  const flavour = await serverFlavour(settings, owner);
  const queries = new QueryCounter(options.echo ?? false);
  const dataSource = new DataSource({
    type: flavour,
    host: settings.MYSQL_HOST,
    port: settings.MYSQL_PORT,
    username: databaseAccount(settings, owner),
    password: settings[databasePasswordName(owner)],
    database: databaseName(settings, owner),
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
