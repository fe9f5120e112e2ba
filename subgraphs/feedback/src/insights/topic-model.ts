import { decodeVector, encodeVector } from '@serendip/jobs';
import { TermStatistics, type AspectBaseline, type SentimentLabel, type TermStatisticsJson, type TopicLabel } from '@serendip/text';
import type { FittedTopic, TopicFit, TopicVocabulary } from './topic-fit';

/** The stored form of one topic. */
interface TopicJson {
  topic: number;
  polarity: SentimentLabel;
  /** Unit centroid, base64 float32, in the space of `topicVector`. */
  centroid: string;
  size: number;
  label: TopicLabel;
  coherence: number | null;
}

/**
 * The stored form of a category's topic model. Version 1 held topics fitted across polarities (one
 * praise and one complaint topic per category); a stored version 1 is refitted on the next pass.
 */
export interface TopicModelJson {
  version: 2;
  /** Analysed reviews folded in (fitted or assigned since). */
  reviews: number;
  /** base64 float32 polarity direction; null without both positive and negative reviews. */
  direction: string | null;
  vocabularies: TopicVocabulary[];
  /** Empty while the category has too few reviews of every polarity for topics. */
  topics: TopicJson[];
  /** Document frequencies of the category's review tokens: the IDF of product keywords. */
  terms: TermStatisticsJson;
  /** How often the category's reviews mention and complain of each aspect: what suggestions are tested against. */
  aspects: AspectBaseline;
}

export const TOPIC_MODEL_VERSION = 2;

/** A category's topics, term statistics and aspect baseline, parsed. */
export class TopicModel {
  constructor(
    readonly reviews: number,
    readonly fit: Pick<TopicFit, 'direction' | 'vocabularies' | 'topics'>,
    readonly terms: TermStatistics,
    readonly aspects: AspectBaseline,
  ) {}

  /** The stored model; null for a model of an earlier version, which the next topic pass refits. */
  static parse(json: string): TopicModel | null {
    const value = JSON.parse(json) as TopicModelJson | { version: number };
    if (value.version < TOPIC_MODEL_VERSION) return null;
    if (value.version !== TOPIC_MODEL_VERSION) throw new Error(`unknown topic model version ${String(value.version)}`);
    const model = value as TopicModelJson;
    const topics: FittedTopic[] = model.topics.map((topic) => ({ ...topic, centroid: decodeVector(topic.centroid) }));
    return new TopicModel(
      model.reviews,
      { direction: model.direction === null ? null : decodeVector(model.direction), vocabularies: model.vocabularies, topics },
      TermStatistics.fromJSON(model.terms),
      model.aspects,
    );
  }

  get topics(): readonly FittedTopic[] {
    return this.fit.topics;
  }

  /** Topic labels by topic index, as summaries name topics. */
  labels(): Map<number, string> {
    return new Map(this.topics.map((topic) => [topic.topic, topic.label.label]));
  }

  toJSON(): TopicModelJson {
    return {
      version: TOPIC_MODEL_VERSION,
      reviews: this.reviews,
      direction: this.fit.direction === null ? null : encodeVector(this.fit.direction),
      vocabularies: this.fit.vocabularies,
      topics: this.topics.map((topic) => ({ ...topic, centroid: encodeVector(topic.centroid) })),
      terms: this.terms.toJSON(),
      aspects: this.aspects,
    };
  }
}
