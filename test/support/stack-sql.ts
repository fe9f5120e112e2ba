import { createConnection, type Connection } from 'mysql2/promise';
import { readStack } from './stack-env';

/** A connection to the e2e stack's MariaDB server as the admin account its set-up used (tests look at every database); the caller ends it. */
export function stackSql(): Promise<Connection> {
  const { env } = readStack();
  return createConnection({
    host: env.MYSQL_HOST ?? '127.0.0.1',
    port: Number(env.MYSQL_PORT ?? 3306),
    user: env.MYSQL_ADMIN_USER ?? process.env.MYSQL_ADMIN_USER ?? 'root',
    password: env.MYSQL_ADMIN_PASSWORD ?? process.env.MYSQL_ADMIN_PASSWORD ?? '',
  });
}

/** A subgraph's database in the e2e stack, quoted for SQL. */
export const stackDatabase = (subgraph: 'user' | 'catalogue' | 'recommendation' | 'feedback'): string =>
  `\`${readStack().env.MYSQL_DATABASE_PREFIX}_${subgraph}\``;
