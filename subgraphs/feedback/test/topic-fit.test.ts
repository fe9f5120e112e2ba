import { seededRng } from '@serendip/recsys';
import { tokenize, type SentimentLabel } from '@serendip/text';
import { fitTopics, topicOf, withoutPolarity, type TopicReview } from '../src/insights/topic-fit';

const rng = seededRng(11);

/** A unit vector near axis `subject`, pushed along axis 7 by the review's polarity, as sentiment moves an embedding. */
function embedding(subject: number, polarity: SentimentLabel): Float32Array {
  const vector = Float32Array.from({ length: 8 }, (_, i) => (i === subject ? 1 : 0) + (rng() - 0.5) * 0.3);
  vector[7] = polarity === 'positive' ? 2 : polarity === 'negative' ? -2 : 0;
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

function review(text: string, subject: number, polarity: SentimentLabel): TopicReview {
  const terms: Record<string, number> = {};
  for (const token of tokenize(text, 'en')) terms[token] = (terms[token] ?? 0) + 1;
  return { embedding: embedding(subject, polarity), terms, polarity };
}

/** Words of one subject; each review says three of them, drawn at random, so that no phrasing forms a topic of its own. */
const SLOW = ['slow', 'late', 'shipping', 'courier', 'parcel', 'delivery', 'waiting'];
const BROKEN = ['zipper', 'broke', 'seam', 'torn', 'stitching', 'ripped', 'button'];
const PRAISE = ['lovely', 'soft', 'fabric', 'colour', 'gorgeous', 'flattering', 'cosy'];
const words = (subject: readonly string[]) => [0, 1, 2].map(() => subject[Math.floor(rng() * subject.length)]!).join(' ');

const corpus = (): TopicReview[] => [
  ...Array.from({ length: 30 }, () => review(words(SLOW), 0, 'negative')),
  ...Array.from({ length: 30 }, () => review(words(BROKEN), 1, 'negative')),
  ...Array.from({ length: 40 }, () => review(words(PRAISE), 2, 'positive')),
  ...Array.from({ length: 5 }, () => review(words(SLOW), 0, 'neutral')),
];

describe('fitTopics', () => {
  // Words within a subject are drawn independently, so any split of one subject is as coherent as
  // the whole: the candidates stop at 2, where joining two subjects (whose words never meet) costs.
  const options = { seed: 3, candidates: [1, 2] };

  it('finds the subjects within each polarity, not the polarities themselves', () => {
    const reviews = corpus();
    const fit = fitTopics(reviews, options);
    const negative = fit.topics.filter((topic) => topic.polarity === 'negative');
    expect(negative).toHaveLength(2);
    const slow = fit.assignments.slice(0, 30);
    const broken = fit.assignments.slice(30, 60);
    expect(new Set(slow).size).toBe(1);
    expect(new Set(broken).size).toBe(1);
    expect(slow[0]).not.toBe(broken[0]);
    expect(fit.topics[slow[0]!]!.label.label.split(' / ').every((word) => SLOW.includes(word))).toBe(true);
    expect(fit.topics[broken[0]!]!.label.label.split(' / ').every((word) => BROKEN.includes(word))).toBe(true);
    const negativeChoice = fit.choices.find((choice) => choice.polarity === 'negative')!;
    expect(negativeChoice.scores[1]!.coherence).toBeGreaterThan(negativeChoice.scores[0]!.coherence);
    // Five neutral reviews are too few for topics: placed nowhere.
    expect(fit.choices.find((choice) => choice.polarity === 'neutral')!.k).toBe(0);
    expect(fit.assignments.slice(100)).toEqual([null, null, null, null, null]);
    for (const topic of fit.topics) expect(topic.coherence).toBeGreaterThan(0);
    // Topics are numbered negative first, each with its own index.
    expect(fit.topics.slice(0, 2).map((topic) => topic.polarity)).toEqual(['negative', 'negative']);
    expect(fit.topics.slice(2).every((topic) => topic.polarity === 'positive')).toBe(true);
    expect(fit.topics.map((topic) => topic.topic)).toEqual(fit.topics.map((_, index) => index));
  });

  it('is deterministic for a seed, and places new reviews in the nearest topic of their polarity', () => {
    const reviews = corpus();
    const fit = fitTopics(reviews, options);
    expect(fitTopics(reviews, options).assignments).toEqual(fit.assignments);
    const late = topicOf(fit, review('slow shipping, late courier', 0, 'negative'))!;
    expect(late.vector).toHaveLength(fit.topics[0]!.centroid.length);
    expect(late.topic).toBe(fit.assignments[0]);
    expect(fit.topics[topicOf(fit, review('slow shipping, late courier', 0, 'positive'))!.topic]!.polarity).toBe('positive');
    expect(topicOf(fit, review('slow shipping', 0, 'neutral'))).toBeNull();
  });

  it('leaves out k whose smallest topic is too small', () => {
    const fit = fitTopics(corpus(), { ...options, minTopicShare: 0.6 });
    expect(fit.choices.find((choice) => choice.polarity === 'negative')!.k).toBe(1);
    expect(fit.choices.find((choice) => choice.polarity === 'negative')!.scores.every((score) => score.k === 1 || !score.eligible)).toBe(true);
  });

  it('takes the polarity direction out of a vector', () => {
    const direction = Float32Array.from([0, 0, 0, 0, 0, 0, 0, 1]);
    const vector = withoutPolarity(Float32Array.from([3, 0, 0, 0, 0, 0, 0, 4]), direction);
    expect(Array.from(vector)).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(Math.hypot(...withoutPolarity(Float32Array.from([3, 4, 0, 0, 0, 0, 0, 0]), null))).toBeCloseTo(1, 6);
  });
});
