import type { Logger, QueryRunner } from 'typeorm';

/**
 * A TypeORM logger that counts the SQL statements a data source sends. Tests read it to prove
 * that a page of nested data costs a constant number of queries (no N+1).
 */
export class QueryCounter implements Logger {
  private count = 0;

  constructor(private readonly echo = false) {}

  get total(): number {
    return this.count;
  }

  reset(): void {
    this.count = 0;
  }

  logQuery(query: string, parameters?: unknown[], _runner?: QueryRunner): void {
    this.count += 1;
    if (this.echo) console.debug('[sql]', query, parameters ?? []);
  }

  // Failed statements surface as errors to the caller, which maps or logs them; echo for debugging only.
  logQueryError(error: string | Error, query: string, _parameters?: unknown[], _runner?: QueryRunner): void {
    if (this.echo) console.debug('[sql] failed:', query, error instanceof Error ? error.message : error);
  }

  logQuerySlow(time: number, query: string): void {
    console.warn(`[sql] slow (${time} ms):`, query);
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    if (this.echo) console.info('[migration]', message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') console.warn('[typeorm]', message);
  }
}
