import { decodeVector, encodeVector } from '@serendip/jobs';
import { TermStatistics, type TermStatisticsJson, type TopicLabel } from '@serendip/text';

/** The stored form of a category's topic model. */
export interface TopicModelJson {
  version: 1;
  /** Analysed reviews folded in (fitted or assigned since). */
  reviews: number;
  /** Unit centroids, base64 float32; empty while the category has too few reviews for topics. */
  centroids: string[];
  sizes: number[];
  labels: TopicLabel[];
  /** Document frequencies of the category's review tokens: the IDF of product keywords. */
  terms: TermStatisticsJson;
}

/** A category's topics and term statistics, parsed. */
export class TopicModel {
  constructor(
    readonly reviews: number,
    readonly centroids: Float32Array[],
    readonly sizes: number[],
    readonly labels: TopicLabel[],
    readonly terms: TermStatistics,
  ) {}

  static parse(json: string): TopicModel {
    const value = JSON.parse(json) as TopicModelJson;
    if (value.version !== 1) throw new Error(`unknown topic model version ${String(value.version)}`);
    return new TopicModel(value.reviews, value.centroids.map(decodeVector), value.sizes, value.labels, TermStatistics.fromJSON(value.terms));
  }

  get k(): number {
    return this.centroids.length;
  }

  labelOf(topic: number): string | undefined {
    return this.labels.find((label) => label.topic === topic)?.label;
  }

  toJSON(): TopicModelJson {
    return {
      version: 1,
      reviews: this.reviews,
      centroids: this.centroids.map(encodeVector),
      sizes: this.sizes,
      labels: this.labels,
      terms: this.terms.toJSON(),
    };
  }
}
