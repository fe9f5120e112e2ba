import { pubsub, type RedisClient } from '@serendip/config';
import { logger } from '@serendip/telemetry';

export type Notice = () => void;

interface Channel {
  listeners: Set<Notice>;
  /** Settles when Redis has confirmed the SUBSCRIBE. */
  subscribed: Promise<unknown>;
}

/**
 * Every pub/sub listener of the process on one Redis connection in subscriber mode. A channel is
 * SUBSCRIBEd when its first listener arrives and UNSUBSCRIBEd when its last one leaves, so a
 * shopper who goes away leaves no channel, listener or callback behind. Messages are notices:
 * listeners are told that one arrived, not what it said.
 */
export class RedisChannels {
  private readonly channels = new Map<string, Channel>();

  constructor(private readonly subscriber: RedisClient) {
    pubsub.onMessage(subscriber, (channel) => {
      const listeners = this.channels.get(channel)?.listeners;
      if (listeners) for (const listener of [...listeners]) listener();
    });
  }

  /**
   * Calls `listener` for every message on `channel` from the moment the returned promise
   * resolves (Redis has confirmed the subscription), until the returned `leave` is called.
   */
  async listen(channel: string, listener: Notice): Promise<() => void> {
    let entry = this.channels.get(channel);
    if (!entry) {
      entry = { listeners: new Set(), subscribed: pubsub.subscribe(this.subscriber, channel) };
      this.channels.set(channel, entry);
    }
    entry.listeners.add(listener);
    const joined = entry;
    const leave = () => this.leave(channel, joined, listener);
    try {
      await joined.subscribed;
    } catch (error) {
      leave();
      throw error;
    }
    return leave;
  }

  /** Channels that have listeners. */
  get listening(): string[] {
    return [...this.channels.keys()];
  }

  /** Closes the connection; listeners hear nothing more. */
  async close(): Promise<void> {
    this.channels.clear();
    await this.subscriber.quit();
  }

  private leave(channel: string, entry: Channel, listener: Notice): void {
    if (!entry.listeners.delete(listener) || entry.listeners.size > 0) return;
    // Not the current entry only once closed. A listener arriving after the delete gets a new
    // entry, and Redis runs its SUBSCRIBE after this UNSUBSCRIBE (one connection, in order).
    if (this.channels.get(channel) !== entry) return;
    this.channels.delete(channel);
    pubsub.unsubscribe(this.subscriber, channel).catch((error: unknown) => {
      logger().error({ err: error }, `could not unsubscribe from ${channel}`);
    });
  }
}
