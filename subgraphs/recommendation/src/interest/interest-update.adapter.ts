import type { MysqlSettings } from '@serendip/db';
import type { DataSource } from 'typeorm';
import { openRecommendationDataSource } from '../data-source';
import type { InterestEvent } from '../event/event.store';
import { ShopperPrivacyStore } from '../privacy/shopper-privacy.store';
import { SuppressionStore } from '../transparency/suppression.store';
import { InterestStore, type SavedProfile } from './interest.store';

/**
 * What the inference worker's interest updates read and write in the recommendation database
 * (the worker's ShopperInterestStore): consent, recent events, passed-over products and removed
 * interests, and the interest profile. It opens a connection of its own and goes through the
 * subgraph's stores.
 */
export class RecommendationInterestAdapter {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly interests: InterestStore,
    private readonly privacy: ShopperPrivacyStore,
    private readonly suppressions: SuppressionStore,
  ) {}

  static async open(settings: MysqlSettings): Promise<RecommendationInterestAdapter> {
    const { dataSource } = await openRecommendationDataSource(settings);
    return new RecommendationInterestAdapter(dataSource, new InterestStore(dataSource), new ShopperPrivacyStore(dataSource), new SuppressionStore(dataSource));
  }

  async personalisation(userId: string): Promise<boolean> {
    return (await this.privacy.state(userId)).personalisation;
  }

  recentEvents(userId: string): Promise<InterestEvent[]> {
    return this.interests.recentEvents(userId);
  }

  skippedProducts(userId: string, now: Date): Promise<{ productId: string; impressions: number; lastShownAt: Date }[]> {
    return this.interests.skippedProducts(userId, now);
  }

  removedDirections(userId: string): Promise<Float32Array[]> {
    return this.suppressions.directions(userId);
  }

  saveProfile(saved: SavedProfile): Promise<void> {
    return this.interests.save(saved);
  }

  async removeProfile(userId: string): Promise<void> {
    await this.interests.remove(userId);
  }

  async close(): Promise<void> {
    await this.dataSource.destroy();
  }
}
