import { pubsub, type RedisClient } from '@serendip/config';
import { parseRevocationNotice, type RevocationNotice, type SessionRevocations } from '@serendip/federation';
import { CloseCode } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { Session } from './identity.plugin';

/** setTimeout's longest delay; a token living longer is looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Watched {
  session: Session;
  timer: NodeJS.Timeout;
}

/**
 * Closes a signed-in WebSocket (and so its subscriptions) when its token expires or is revoked,
 * with 4401 and the reason: a socket authenticates once, at init, so without this a signed-out or
 * forgotten shopper's open subscription would go on receiving. Revocations arrive on the Redis
 * channel the user subgraph announces them on; a periodic sweep catches any the channel missed
 * (a reconnect, a gateway started after the announcement).
 */
export class SessionWatch {
  private readonly watched = new Map<WebSocket, Watched>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly revocations: SessionRevocations,
    private readonly subscriber: RedisClient,
    sweepMs: number,
    private readonly log: (message: string) => void,
  ) {
    pubsub.onMessage(this.subscriber, (channel, message) => {
      if (channel !== this.revocations.channel) return;
      const notice = parseRevocationNotice(message);
      if (notice) void this.recheck((session) => matches(session, notice));
    });
    this.sweeper = setInterval(() => void this.recheck(() => true), sweepMs);
    this.sweeper.unref();
  }

  /** Connects the listener; a failure is logged and left to the sweep, as the gateway serves without it. */
  async start(): Promise<void> {
    try {
      await this.subscriber.connect();
      await pubsub.subscribe(this.subscriber, this.revocations.channel);
    } catch (error) {
      this.log(`revocation channel unavailable, open subscriptions are checked by the sweep only: ${(error as Error).message}`);
    }
  }

  watch(socket: WebSocket, session: Session): void {
    const watched: Watched = { session, timer: this.expiryTimer(socket, session) };
    this.watched.set(socket, watched);
    socket.once('close', () => {
      clearTimeout(watched.timer);
      this.watched.delete(socket);
    });
  }

  stop(): void {
    clearInterval(this.sweeper);
    for (const { timer } of this.watched.values()) clearTimeout(timer);
    this.watched.clear();
    this.subscriber.disconnect();
  }

  private expiryTimer(socket: WebSocket, session: Session): NodeJS.Timeout {
    const left = session.expiresAt.getTime() - Date.now();
    return setTimeout(
      () => {
        if (Date.now() >= session.expiresAt.getTime()) socket.close(CloseCode.Unauthorized, 'Session token has expired; reconnect with a fresh one');
        else {
          const watched = this.watched.get(socket);
          if (watched) watched.timer = this.expiryTimer(socket, session);
        }
      },
      Math.min(Math.max(left, 0), MAX_TIMER_MS),
    );
  }

  private async recheck(which: (session: Session) => boolean): Promise<void> {
    const sockets = [...this.watched].filter(([, { session }]) => which(session));
    if (sockets.length === 0) return;
    let revoked: boolean[];
    try {
      revoked = await this.revocations.revokedAmong(sockets.map(([, { session }]) => session.token));
    } catch (error) {
      // Open sockets stay open: the next sweep looks again.
      this.log(`open subscriptions could not be checked for revoked tokens: ${(error as Error).message}`);
      return;
    }
    sockets.forEach(([socket], index) => {
      if (revoked[index]) socket.close(CloseCode.Unauthorized, 'Session token has been revoked; reconnect with a fresh one');
    });
  }
}

const matches = (session: Session, notice: RevocationNotice): boolean =>
  session.token.userId === notice.userId && (notice.sessionId === undefined || notice.sessionId === session.token.sessionId);
