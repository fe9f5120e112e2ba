import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger, QueryRunner } from 'typeorm';
import { logger } from '@serendip/telemetry';

/**
 * A TypeORM logger that counts the SQL statements a data source sends: all of them (`total`, on
 * `/metrics`), and those of each request (`measure`), so that a test proving a page of nested
 * data costs a constant number of queries (no N+1) counts that request's statements alone, never
 * the background upkeep (bandit flushes, sweeps, index refreshes) running in the same process.
 */
export class QueryCounter implements Logger {
  private count = 0;
  private readonly scope = new AsyncLocalStorage<{ statements: number }>();

  constructor(private readonly echo = false) {}

  get total(): number {
    return this.count;
  }

  reset(): void {
    this.count = 0;
  }

  /**
   * Runs `work` as one request: statements sent from its async context (its awaits, the DataLoader
   * batches it triggers) are counted apart, and `current` reads them while it runs.
   */
  measure<T>(work: () => T): T {
    return this.scope.run({ statements: 0 }, work);
  }

  /** Statements sent so far by the request running `measure`; null outside one. */
  get current(): number | null {
    return this.scope.getStore()?.statements ?? null;
  }

  logQuery(query: string, parameters?: unknown[], _runner?: QueryRunner): void {
    this.count += 1;
    const request = this.scope.getStore();
    if (request) request.statements += 1;
    if (this.echo) logger().debug({ sql: query, parameters: parameters ?? [] }, 'sql');
  }

  // Failed statements surface as errors to the caller, which maps or logs them; echo for debugging only.
  logQueryError(error: string | Error, query: string, _parameters?: unknown[], _runner?: QueryRunner): void {
    if (this.echo) logger().debug({ sql: query, err: error }, 'sql failed');
  }

  logQuerySlow(time: number, query: string): void {
    logger().warn({ sql: query, ms: time }, 'slow sql');
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    if (this.echo) logger().info({ migration: message }, 'migration');
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') logger().warn({ typeorm: message }, 'typeorm warning');
  }
}
