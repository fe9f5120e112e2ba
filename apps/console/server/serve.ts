/**
 * Serves the built merchant console (apps/console/dist) with /graphql proxied to the gateway, as
 * @serendip/app-server serves each first-party app. `npm start` runs it; the browser test starts it in process.
 *   CONSOLE_PORT  (default 4200)   GATEWAY_URL  (default http://127.0.0.1:4000/graphql)
 */
import { buildApp, runAppServer, startAppServer, type AppServer } from '@serendip/app-server';
import { projectPath } from '@serendip/config';
import { join } from 'node:path';

const APP = projectPath('apps', 'console');
export const CONSOLE_DIST = join(APP, 'dist');

/** Vite's production build of the console into dist/. */
export const buildConsole = (): void => buildApp(APP);

export interface ConsoleServerOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** The gateway's GraphQL endpoint. */
  gatewayUrl: string;
  /** @default CONSOLE_DIST */
  dist?: string;
}

export type ConsoleServer = AppServer;

export const startConsoleServer = ({ dist = CONSOLE_DIST, ...options }: ConsoleServerOptions): Promise<ConsoleServer> =>
  startAppServer({ ...options, dist, buildCommand: 'pnpm --filter @serendip/console build' });

if (require.main === module) runAppServer('console', { portVariable: 'CONSOLE_PORT', defaultPort: 4200 }, startConsoleServer);
