/**
 * Serves the built storefront (apps/storefront/dist) with /graphql proxied to the gateway, as
 * @serendip/app-server serves each first-party app. `npm start` runs it; the browser tests start it in process.
 *   STOREFRONT_PORT  (default 4100)   GATEWAY_URL  (default http://127.0.0.1:4000/graphql)
 */
import { buildApp, runAppServer, startAppServer, type AppServer } from '@serendip/app-server';
import { projectPath } from '@serendip/config';
import { join } from 'node:path';

const APP = projectPath('apps', 'storefront');
export const STOREFRONT_DIST = join(APP, 'dist');

/** Vite's production build of the storefront into dist/. */
export const buildStorefront = (): void => buildApp(APP);

export interface StorefrontServerOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** The gateway's GraphQL endpoint. */
  gatewayUrl: string;
  /** @default STOREFRONT_DIST */
  dist?: string;
}

export type StorefrontServer = AppServer;

export const startStorefrontServer = ({ dist = STOREFRONT_DIST, ...options }: StorefrontServerOptions): Promise<StorefrontServer> =>
  startAppServer({ ...options, dist, buildCommand: 'pnpm --filter @serendip/storefront build' });

if (require.main === module) runAppServer('storefront', { portVariable: 'STOREFRONT_PORT', defaultPort: 4100 }, startStorefrontServer);
