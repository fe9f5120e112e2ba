import type { Connection } from 'mysql2/promise';

/**
 * Runs `work` while `connection` holds the server's named lock `name` (GET_LOCK), waiting up to
 * `timeoutSeconds` for another holder. The lock belongs to that connection, which must be none of
 * the pool's `work` uses (a pool of one would wait on itself); should the process die, the server
 * frees the lock with the connection.
 */
export async function withNamedLock<T>(connection: Connection, name: string, timeoutSeconds: number, work: () => Promise<T>): Promise<T> {
  const [rows] = (await connection.query('SELECT GET_LOCK(?, ?) AS got', [name, timeoutSeconds])) as unknown as [{ got: number | null }[]];
  if (rows[0]?.got !== 1) throw new Error(`could not take the lock ${name} within ${timeoutSeconds} s: another process holds it`);
  try {
    return await work();
  } finally {
    await connection.query('SELECT RELEASE_LOCK(?)', [name]);
  }
}
