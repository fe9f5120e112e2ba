import { createConnection, type Connection } from 'mysql2/promise';
import { readStack } from './stack-env';

/** A connection to the e2e stack's MariaDB server, with the settings its processes use; the caller ends it. */
export function stackSql(): Promise<Connection> {
  const { env } = readStack();
  return createConnection({
    host: env.MYSQL_HOST ?? '127.0.0.1',
    port: Number(env.MYSQL_PORT ?? 3306),
    user: env.MYSQL_USER ?? 'root',
    password: env.MYSQL_PASSWORD ?? '',
  });
}

/** A subgraph's database in the e2e stack, quoted for SQL. */
export const stackDatabase = (subgraph: 'user' | 'catalogue' | 'recommendation' | 'feedback'): string =>
  `\`${readStack().env.MYSQL_DATABASE_PREFIX}_${subgraph}\``;
