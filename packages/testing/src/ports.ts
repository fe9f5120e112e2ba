import { createServer, type Server } from 'node:net';

/** `count` distinct loopback ports that were free a moment ago: held open together, so none is handed out twice. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** A loopback port that was free a moment ago: for a server a test or a stack starts on it next. */
export const freePort = async (): Promise<number> => (await freePorts(1))[0]!;
