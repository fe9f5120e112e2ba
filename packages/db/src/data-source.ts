import { DataSource, type DataSourceOptions } from 'typeorm';
import { databaseAccount, databaseName, databasePasswordName, serverFlavour, type DatabaseAccountSettings, type DatabaseOwner } from './database';
import { withLease } from './lease-lock';
import { QueryCounter } from './query-counter';

export interface SubgraphDataSourceOptions<O extends DatabaseOwner> {
  settings: DatabaseAccountSettings<O>;
  /** Whose database: it is opened as that subgraph's own account, never an admin one. */
  owner: O;
  entities: DataSourceOptions['entities'];
  migrations: DataSourceOptions['migrations'];
  /** Print every statement (debugging). @default false */
  echo?: boolean;
  /** How long a start waits for another process's migrations before giving up. @default 600 */
  migrationLockSeconds?: number;
}

export interface SubgraphDataSource {
  dataSource: DataSource;
  queries: QueryCounter;
}

/** Connections per process; each subgraph process keeps its own pool. */
export const DEFAULT_POOL_SIZE = 10;
/** Statements that may wait for a connection; mysql2's own default (0) lets the queue grow without end. */
export const DEFAULT_POOL_QUEUE_LIMIT = 100;

/**
 * Opens a subgraph's database as its own account and applies pending migrations. The database and
 * the account are the set-up's (`provisionDatabase`); the schema is only ever changed by migrations,
 * run under a lease in the database (`withLease`), so replicas that start together migrate it once: the
 * first runs them and the others, once it is done, find nothing pending.
 */
export async function openDataSource<O extends DatabaseOwner>(options: SubgraphDataSourceOptions<O>): Promise<SubgraphDataSource> {
  const { settings, owner } = options;
  const flavour = await serverFlavour(settings, owner);
  const queries = new QueryCounter(options.echo ?? false);
  const database = databaseName(settings, owner);
  const dataSource = new DataSource({
    type: flavour,
    host: settings.MYSQL_HOST,
    port: settings.MYSQL_PORT,
    username: databaseAccount(settings, owner),
    password: settings[databasePasswordName(owner)],
    database,
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
    poolSize: settings.MYSQL_POOL_SIZE ?? DEFAULT_POOL_SIZE,
    extra: { queueLimit: settings.MYSQL_POOL_QUEUE_LIMIT ?? DEFAULT_POOL_QUEUE_LIMIT },
  });
  await dataSource.initialize();
  try {
    const waitSeconds = options.migrationLockSeconds ?? 600;
    const migrated = await withLease(dataSource, 'migrations', { waitMs: waitSeconds * 1000 }, () => dataSource.runMigrations({ transaction: 'each' }));
    if (!migrated.held) throw new Error(`could not take the migrations lease of ${database} within ${waitSeconds} s: another process holds it`);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return { dataSource, queries };
}
