import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of a shared server (the Redis every test uses), for tests of what happens
 * while it is unreachable: point a process at `url`, then `cut()` ends every relayed connection
 * and refuses new ones, as a network outage does, and `restore()` accepts them again on the same
 * port. The server behind it, and everyone else using it, see nothing but closed connections.
 */
export class OutageRelay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  private constructor(private readonly target: { host: string; port: number }) {}

  /** Starts relaying to `targetUrl` (redis://host:port) on a free local port. */
  static async start(targetUrl: string): Promise<OutageRelay> {
    const target = new URL(targetUrl);
    const relay = new OutageRelay({ host: target.hostname, port: Number(target.port || 6379) });
    await relay.listen();
    return relay;
  }

  /** The relay's address, in the target's scheme. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  /** Ends every relayed connection and refuses new ones until `restore`. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Accepts connections again, on the same port. */
  async restore(): Promise<void> {
    if (!this.server) await this.listen();
  }

  async stop(): Promise<void> {
    await this.cut();
  }
}
