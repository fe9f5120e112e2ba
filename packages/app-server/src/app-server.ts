/**
 * Serves a first-party browser app's Vite build (its dist/) and proxies /graphql, HTTP and
 * WebSocket, to the gateway, so the app talks to its own origin: no CORS, and the gateway's CSRF and
 * cookie rules apply as to any first-party page. The storefront and the merchant console are each
 * served this way (`apps/<app>/server/serve.ts`); `npm start` runs both, the browser tests start
 * them in process.
 */
import { commonEnv, loadConfig, z } from '@serendip/config';
import { configureLogger, logger, type LogLevel } from '@serendip/telemetry';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** Vite's production build of the app in `appDir` into its dist/ (a few seconds): what `npm start` and the browser tests serve. */
export function buildApp(appDir: string): void {
  // NODE_ENV decides which React Vite bundles: a test runner's `test` would ship React's development build.
  execFileSync(join(appDir, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'error'], {
    cwd: appDir,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface AppServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** The gateway's GraphQL endpoint. */
  gatewayUrl: string;
  /** The app's Vite build. */
  dist: string;
  /** What the error for a missing build tells the operator to run. */
  buildCommand: string;
}

export interface AppServer {
  url: string;
  close(): Promise<void>;
}

/** The file under `dist` a path names, or index.html for `/`; null for anything outside it or missing. */
function fileFor(dist: string, pathname: string): string | null {
  const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  const file = normalize(join(dist, relative));
  if (!file.startsWith(dist + sep)) return null;
  return existsSync(file) && statSync(file).isFile() ? file : null;
}

/** Forwards one HTTP request to the gateway and streams its answer back. */
function proxy(
  incoming: IncomingMessage,
  gateway: URL,
  respond: (status: number, headers: IncomingMessage['headers'], body: IncomingMessage) => void,
  fail: () => void,
): void {
  const upstream = request(
    { host: gateway.hostname, port: gateway.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: gateway.host } },
    (answer) => respond(answer.statusCode ?? 502, answer.headers, answer),
  );
  upstream.on('error', fail);
  incoming.pipe(upstream);
}

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const dist = resolve(options.dist);
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`no build in ${dist}: run ${options.buildCommand}`);
  const gateway = new URL(options.gatewayUrl);
  const graphqlPath = gateway.pathname;
  const server: Server = createServer((incoming, response) => {
    const { pathname } = new URL(incoming.url ?? '/', 'http://app');
    if (pathname === graphqlPath) {
      proxy(
        incoming,
        gateway,
        (status, headers, body) => {
          response.writeHead(status, headers);
          body.pipe(response);
        },
        () => {
          if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ errors: [{ message: 'The gateway is not answering', extensions: { code: 'SERVICE_UNAVAILABLE' } }] }));
        },
      );
      return;
    }
    if (incoming.method !== 'GET' && incoming.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = fileFor(dist, pathname);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    // Vite names built assets by their content's hash: those may be kept; index.html must not be.
    const immutable = pathname.startsWith('/assets/');
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (incoming.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
  // WebSocket upgrades (graphql-ws subscriptions) are passed through as raw bytes.
  server.on('upgrade', (incoming: IncomingMessage, socket, head: Buffer) => {
    const { pathname } = new URL(incoming.url ?? '/', 'http://app');
    if (pathname !== graphqlPath) {
      socket.destroy();
      return;
    }
    const upstream = connect(Number(gateway.port || 80), gateway.hostname, () => {
      const headers = Object.entries({ ...incoming.headers, host: gateway.host }).flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value]).filter((item): item is string => item !== undefined).map((item) => `${name}: ${item}`),
      );
      upstream.write(`${incoming.method ?? 'GET'} ${incoming.url ?? '/'} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    const end = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', end);
    socket.on('error', end);
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

/**
 * An app server's entry point: reads its port variable (`portVariable`, default `defaultPort`) and
 * GATEWAY_URL (default http://127.0.0.1:4000/graphql), starts it, and exits naming what is wrong
 * when it cannot.
 */
export function runAppServer(
  name: string,
  { portVariable, defaultPort }: { portVariable: string; defaultPort: number },
  start: (options: { port: number; gatewayUrl: string }) => Promise<AppServer>,
): void {
  const schema = z.object({
    LOG_LEVEL: commonEnv.LOG_LEVEL,
    [portVariable]: z.coerce.number().int().min(0).max(65_535).default(defaultPort),
    GATEWAY_URL: z.string().url().default('http://127.0.0.1:4000/graphql'),
  });
  Promise.resolve()
    .then(() => {
      const config = loadConfig(name, schema);
      const log = configureLogger({ service: name, level: config.LOG_LEVEL as LogLevel });
      return start({ port: Number(config[portVariable]), gatewayUrl: String(config.GATEWAY_URL) }).then((running) =>
        log.info({ url: running.url, gateway: String(config.GATEWAY_URL) }, 'serving'),
      );
    })
    .catch((error: unknown) => {
      logger().error({ err: error }, 'could not start');
      process.exit(1);
    });
}
