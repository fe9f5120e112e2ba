import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Written by the e2e global setup; read by e2e tests and the teardown. */
export const STACK_FILE = join(__dirname, '..', '..', '.run', 'e2e-stack.json');

/** The e2e stack's admin, made an admin by the global setup. */
export const E2E_ADMIN = { email: 'admin@e2e.serendip.test', password: 'e2e-password' };
/** Every admin the global setup makes: raising an analyst's privacy budget takes a second one. */
export const E2E_ADMINS = [E2E_ADMIN, { email: 'second-admin@e2e.serendip.test', password: 'e2e-password' }] as const;

export interface E2eStack {
  gatewayUrl: string;
  subgraphUrls: Record<'user' | 'catalogue' | 'recommendation' | 'feedback', string>;
  /** Where each process publishes `/metrics`, by process name (the worker's probe server included). */
  metricsUrls: Record<'gateway' | 'user' | 'catalogue' | 'recommendation' | 'feedback' | 'worker', string>;
  env: Record<string, string>;
  pids: number[];
  /** The in-memory OTLP receiver's spans, as JSON (`?traceId=` for one trace's): test/support/otlp-receiver.ts. */
  spansUrl: string;
}

export function readStack(): E2eStack {
  return JSON.parse(readFileSync(STACK_FILE, 'utf8')) as E2eStack;
}
