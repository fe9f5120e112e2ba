import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { testSecrets } from '@serendip/testing';
import { startGateway } from '../../src/app';
import { loadGatewayConfig } from '../../src/config';

/** Secrets of this test file's gateways (and of tokens its tests sign). */
export const secrets = testSecrets();

/**
 * Runs `check` against a gateway started with `env` on a free port and a Redis prefix of its own
 * (so no other run's counts or revocations meet it), with no subgraphs unless `env` names some.
 * `quiet` silences what the gateway logs about the failures a test provokes.
 */
export async function withGateway(
  env: Record<string, string>,
  check: (url: string, prefix: string) => Promise<void>,
  options: { quiet?: boolean } = {},
): Promise<void> {
  const prefix = `t_${randomBytes(4).toString('hex')}`;
  const gateway = await startGateway(loadGatewayConfig({ GATEWAY_PORT: '0', LOG_LEVEL: 'error', QUEUE_PREFIX: prefix, ...secrets, ...env }));
  const quiet = options.quiet ? jest.spyOn(console, 'error').mockImplementation(() => undefined) : null;
  try {
    await check(gateway.url, prefix);
  } finally {
    quiet?.mockRestore();
    await gateway.stop();
  }
}

export interface FakeSubgraph {
  url: string;
  /** The operations it was sent, in order. */
  received: string[];
  close(): Promise<void>;
}

/** A subgraph that answers each request with `answer` (which may never answer), recording the queries it was sent. */
export async function fakeSubgraph(answer: (res: ServerResponse, query: string, count: number) => void): Promise<FakeSubgraph> {
  const received: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const query = (JSON.parse(body) as { query: string }).query;
      received.push(query);
      answer(res, query, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const json = (res: ServerResponse, body: unknown, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** A URL where nothing listens: a port that was free a moment ago. */
export async function deadUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}/graphql`;
}
