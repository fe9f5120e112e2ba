import fs from 'node:fs';
import { ASPECT_NAMES } from '../../packages/text/src';
import { BLIND_LABELS, BLIND_SAMPLE } from './aspect-blind-set';

// The rows themselves are read from the data folder at run time (never copied here): `pnpm
// eval:feedback` fails naming any label whose row is not in the seeded sample.
describe('the blind aspect set', () => {
  it('labels every review of the seeded sample once, with known aspects each named at most once per review', () => {
    const { labels } = JSON.parse(fs.readFileSync(BLIND_LABELS, 'utf8')) as { labels: { ref: string; aspects: { aspect: string; sentiment: string }[] }[] };
    expect(labels).toHaveLength(BLIND_SAMPLE.zh + BLIND_SAMPLE.en);
    expect(new Set(labels.map((label) => label.ref)).size).toBe(labels.length);
    expect(labels.every((label) => /^(online_shopping_10_cats:[0-9a-f]{16}-\d+|womens_clothing:\d+)$/.test(label.ref))).toBe(true);
    for (const { aspects } of labels) {
      expect(
        aspects.every(
          ({ aspect, sentiment }) => (ASPECT_NAMES as readonly string[]).includes(aspect) && ['positive', 'negative', 'neutral'].includes(sentiment),
        ),
      ).toBe(true);
      expect(new Set(aspects.map(({ aspect }) => aspect)).size).toBe(aspects.length);
    }
  });
});
