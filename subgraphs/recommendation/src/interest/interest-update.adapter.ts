import type { DatabaseAccountSettings } from '@serendip/db';
import type { WantedVersions } from '@serendip/sequence';
import type { DataSource } from 'typeorm';
import { openRecommendationDataSource } from '../data-source';
import { EventStore, type InterestEvent } from '../event/event.store';
import { ShopperPrivacyStore } from '../privacy/shopper-privacy.store';
import type { SequenceModelVersionEntity } from '../sequence/sequence-model-version.entity';
import { SequenceModelStore, type SequenceModelRecord } from '../sequence/sequence-model.store';
import { SuppressionStore } from '../transparency/suppression.store';
import { InterestStore, type SavedProfile } from './interest.store';

/**
 * What the inference worker reads and writes in the recommendation database: for interest updates
 * (the worker's ShopperInterestStore) consent, recent events, passed-over products and removed
 * interests, and the interest profile with its sequence query; for sequence model training (the
 * worker's SequenceTrainingStore) the shoppers' product sequences and the model registry. It opens
 * a connection of its own and goes through the subgraph's stores.
 */
export class RecommendationInterestAdapter {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly interests: InterestStore,
    private readonly privacy: ShopperPrivacyStore,
    private readonly suppressions: SuppressionStore,
    private readonly events: EventStore,
    private readonly sequenceModels: SequenceModelStore,
  ) {}

  static async open(settings: DatabaseAccountSettings<'recommendation'>): Promise<RecommendationInterestAdapter> {
    const { dataSource } = await openRecommendationDataSource(settings);
    return new RecommendationInterestAdapter(
      dataSource,
      new InterestStore(dataSource),
      new ShopperPrivacyStore(dataSource),
      new SuppressionStore(dataSource),
      new EventStore(dataSource),
      new SequenceModelStore(dataSource),
    );
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

  productSequences(): Promise<Map<string, string[]>> {
    return this.events.productSequences();
  }

  servingSequenceModel(): Promise<SequenceModelVersionEntity | null> {
    return this.sequenceModels.serving();
  }

  servedSequenceModels(): Promise<WantedVersions> {
    return this.sequenceModels.wanted();
  }

  pinnedSequenceModels(): Promise<string[]> {
    return this.sequenceModels.pinned();
  }

  promoteSequenceModel(record: SequenceModelRecord, at: Date): Promise<void> {
    return this.sequenceModels.promote(record, at);
  }

  rejectSequenceModel(record: SequenceModelRecord): Promise<void> {
    return this.sequenceModels.reject(record);
  }

  recentSequenceModels(limit: number): Promise<SequenceModelVersionEntity[]> {
    return this.sequenceModels.recent(limit);
  }

  async close(): Promise<void> {
    await this.dataSource.destroy();
  }
}
