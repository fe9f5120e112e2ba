import { createConnection, type Connection } from 'mysql2/promise';

/** Where the MariaDB/MySQL server is and how its databases are named, as read from the validated config. */
export interface MysqlSettings {
  MYSQL_HOST: string;
  MYSQL_PORT: number;
  MYSQL_DATABASE_PREFIX: string;
}

/**
 * The server account that creates databases and accounts (root, or one with CREATE USER and GRANT
 * OPTION). Only the set-up reads it (`provisionDatabase`: `pnpm db:setup`, `npm start`, the e2e and
 * test set-ups); no serving process is given it.
 */
export interface MysqlAdminSettings extends MysqlSettings {
  MYSQL_ADMIN_USER: string;
  MYSQL_ADMIN_PASSWORD: string;
}

/** Subgraphs that own a database; a subgraph never reads another's tables. */
export type DatabaseOwner = 'user' | 'catalogue' | 'recommendation' | 'feedback';

export const DATABASE_OWNERS: readonly DatabaseOwner[] = ['user', 'catalogue', 'recommendation', 'feedback'];

/** The setting that holds the password of a subgraph's database account (`CATALOGUE_DB_PASSWORD`, …). */
export type DatabasePasswordName<O extends DatabaseOwner> = `${Uppercase<O>}_DB_PASSWORD`;

/**
 * A process's connection pool (`databasePoolEnv` in @serendip/config): at most `MYSQL_POOL_SIZE`
 * connections, and at most `MYSQL_POOL_QUEUE_LIMIT` statements waiting for one; past that a
 * statement fails at once (`isPoolExhausted`) instead of joining a queue that only grows.
 */
export interface DatabasePoolSettings {
  MYSQL_POOL_SIZE: number;
  MYSQL_POOL_QUEUE_LIMIT: number;
}

/** The server settings plus the password of each named subgraph's account (and the pool's bounds, defaults without). */
export type DatabaseAccountSettings<O extends DatabaseOwner> = MysqlSettings & Record<DatabasePasswordName<O>, string> & Partial<DatabasePoolSettings>;

export const databasePasswordName = <O extends DatabaseOwner>(owner: O): DatabasePasswordName<O> =>
  `${owner.toUpperCase()}_DB_PASSWORD` as DatabasePasswordName<O>;

export function databaseName(settings: Pick<MysqlSettings, 'MYSQL_DATABASE_PREFIX'>, owner: DatabaseOwner): string {
  return `${settings.MYSQL_DATABASE_PREFIX}_${owner}`;
}

/** Each subgraph's account is named like its database (`<prefix>_catalogue`): one account, one database. */
export const databaseAccount = databaseName;

/**
 * What a subgraph's account may do, on its own database only: its queries and its migrations
 * (tables, indexes, foreign keys). Nothing on any other database and nothing server-wide, so SQL
 * run by one subgraph cannot read or change another's data.
 */
const ACCOUNT_PRIVILEGES = 'SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES, LOCK TABLES, CREATE TEMPORARY TABLES';

/** Accounts are reachable from any host: the processes may run in other containers or on other machines. */
const ACCOUNT_HOST = '%';

const IDENTIFIER = /^[A-Za-z0-9_]+$/;

function safeName(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`unsafe database name: ${name}`);
  return name;
}

async function withConnection<T>(open: () => Promise<Connection>, fn: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await open();
  try {
    return await fn(connection);
  } finally {
    await connection.end();
  }
}

/**
 * A connection as the admin account, for the set-up and for tests that look across databases;
 * BIGINT and DECIMAL values come back as strings, as from the subgraphs' data sources. The caller ends it.
 */
export const openAdminConnection = (admin: MysqlAdminSettings): Promise<Connection> =>
  createConnection({
    host: admin.MYSQL_HOST,
    port: admin.MYSQL_PORT,
    user: admin.MYSQL_ADMIN_USER,
    password: admin.MYSQL_ADMIN_PASSWORD,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });

const asAdmin = (admin: MysqlAdminSettings) => () => openAdminConnection(admin);

/**
 * Creates a subgraph's database (with a character set that holds Chinese text and emoji) and its
 * account, and leaves the account with exactly `ACCOUNT_PRIVILEGES` on that database and the given
 * password. Idempotent: running it again re-applies the password (so a changed secret takes effect)
 * and takes away anything else the account was given.
 */
export async function provisionDatabase(admin: MysqlAdminSettings, owner: DatabaseOwner, password: string): Promise<void> {
  const name = safeName(databaseName(admin, owner));
  await withConnection(asAdmin(admin), async (connection) => {
    const account = [databaseAccount(admin, owner), ACCOUNT_HOST];
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await connection.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [...account, password]);
    await connection.query('ALTER USER ?@? IDENTIFIED BY ?', [...account, password]);
    await connection.query('REVOKE ALL PRIVILEGES, GRANT OPTION FROM ?@?', account);
    await connection.query(`GRANT ${ACCOUNT_PRIVILEGES} ON \`${name}\`.* TO ?@?`, account);
  });
}

/** Provisions every database named, each with the password its settings hold. */
export async function provisionDatabases<O extends DatabaseOwner>(admin: MysqlAdminSettings & DatabaseAccountSettings<O>, owners: readonly O[]): Promise<void> {
  for (const owner of owners) await provisionDatabase(admin, owner, admin[databasePasswordName(owner)]);
}

/** Drops a subgraph's database and its account (throwaway stacks: tests, benchmarks, evaluations). */
export async function dropDatabase(admin: MysqlAdminSettings, owner: DatabaseOwner): Promise<void> {
  const name = safeName(databaseName(admin, owner));
  await withConnection(asAdmin(admin), async (connection) => {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await connection.query('DROP USER IF EXISTS ?@?', [databaseAccount(admin, owner), ACCOUNT_HOST]);
  });
}

/** A connection of its own as a subgraph's account, outside any pool (`serverFlavour`, the migration lock). */
const asAccount =
  <O extends DatabaseOwner>(settings: DatabaseAccountSettings<O>, owner: O) =>
  () =>
    createConnection({
      host: settings.MYSQL_HOST,
      port: settings.MYSQL_PORT,
      user: databaseAccount(settings, owner),
      password: settings[databasePasswordName(owner)],
      database: safeName(databaseName(settings, owner)),
    });

/** Runs `work` with a connection of the subgraph's account of its own, ended after. */
export const withAccountConnection = <O extends DatabaseOwner, T>(
  settings: DatabaseAccountSettings<O>,
  owner: O,
  work: (connection: Connection) => Promise<T>,
) => withConnection(asAccount(settings, owner), work);

export type ServerFlavour = 'mysql' | 'mariadb';

/**
 * Reports whether the server is MariaDB or MySQL (TypeORM reads their catalogues differently),
 * asking as the subgraph's own account, so a missing database or account fails here with what to do.
 */
export async function serverFlavour<O extends DatabaseOwner>(settings: DatabaseAccountSettings<O>, owner: O): Promise<ServerFlavour> {
  const name = safeName(databaseName(settings, owner));
  try {
    return await withAccountConnection(settings, owner, async (connection) => {
      const [rows] = (await connection.query('SELECT VERSION() AS version')) as unknown as [{ version: string }[]];
      return /mariadb/i.test(rows[0]?.version ?? '') ? 'mariadb' : 'mysql';
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR' || code === 'ER_BAD_DB_ERROR') {
      throw new Error(
        `cannot open the database ${name} as its account ${name}@${settings.MYSQL_HOST}:${settings.MYSQL_PORT} (${code}): ` +
          `run the set-up (pnpm db:setup; npm start runs it) with the same MYSQL_DATABASE_PREFIX and ${databasePasswordName(owner)}`,
        { cause: error },
      );
    }
    throw error;
  }
}
