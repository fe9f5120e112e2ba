import { createConnection } from 'mysql2/promise';

/** Connection settings for the MariaDB/MySQL server, as read from the validated config. */
export interface MysqlSettings {
  MYSQL_HOST: string;
  MYSQL_PORT: number;
  MYSQL_USER: string;
  MYSQL_PASSWORD: string;
  MYSQL_DATABASE_PREFIX: string;
}

/** Subgraphs that own a database; a subgraph never reads another's tables. */
export type DatabaseOwner = 'user' | 'catalogue' | 'recommendation' | 'feedback';

export function databaseName(settings: Pick<MysqlSettings, 'MYSQL_DATABASE_PREFIX'>, owner: DatabaseOwner): string {
  return `${settings.MYSQL_DATABASE_PREFIX}_${owner}`;
}

const IDENTIFIER = /^[A-Za-z0-9_]+$/;

async function withServer<T>(settings: MysqlSettings, fn: (run: (sql: string) => Promise<unknown>) => Promise<T>): Promise<T> {
  const connection = await createConnection({
    host: settings.MYSQL_HOST,
    port: settings.MYSQL_PORT,
    user: settings.MYSQL_USER,
    password: settings.MYSQL_PASSWORD,
  });
  try {
    return await fn((sql) => connection.query(sql));
  } finally {
    await connection.end();
  }
}

export type ServerFlavour = 'mysql' | 'mariadb';

/**
 * Creates the database when missing, with a character set that holds Chinese text and emoji, and
 * reports whether the server is MariaDB or MySQL (TypeORM reads their catalogues differently).
 */
export async function ensureDatabase(settings: MysqlSettings, name: string): Promise<ServerFlavour> {
  if (!IDENTIFIER.test(name)) throw new Error(`unsafe database name: ${name}`);
  return withServer(settings, async (run) => {
    await run(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const [rows] = (await run('SELECT VERSION() AS version')) as [{ version: string }[]];
    return /mariadb/i.test(rows[0]?.version ?? '') ? 'mariadb' : 'mysql';
  });
}

export async function dropDatabase(settings: MysqlSettings, name: string): Promise<void> {
  if (!IDENTIFIER.test(name)) throw new Error(`unsafe database name: ${name}`);
  await withServer(settings, (run) => run(`DROP DATABASE IF EXISTS \`${name}\``));
}
