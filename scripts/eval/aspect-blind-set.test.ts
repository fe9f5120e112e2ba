import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, z } from '@serendip/config';
import { ASPECT_NAMES, parseAspectExamples } from '../../packages/text/src';
import { BLIND_LABELS, BLIND_SAMPLE, blindAspectExamples } from './aspect-blind-set';
import { CHINESE_FILE } from '../../tools/demo-data/src/sources/chinese-shopping.source';
import { dataDirEnv } from './report';

const { SERENDIP_DATA_DIR } = loadConfig('aspect blind set test', z.object(dataDirEnv), process.env);
// The data sets are read at run time, never copied into the repository: a checkout without the
// data folder beside it (or SERENDIP_DATA_DIR) cannot check the rows, only the labels.
const withData = fs.existsSync(path.join(SERENDIP_DATA_DIR, CHINESE_FILE)) ? it : it.skip;
const fixtureTexts = new Set(
  parseAspectExamples(JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../packages/text/fixtures/aspect-examples.json'), 'utf8'))).map(
    (example) => example.text,
  ),
);

describe('the blind aspect set', () => {
  it('labels every review of the seeded sample once, with known aspects each named at most once per review', () => {
    const { labels } = JSON.parse(fs.readFileSync(BLIND_LABELS, 'utf8')) as { labels: { ref: string; aspects: { aspect: string; sentiment: string }[] }[] };
    expect(labels).toHaveLength(BLIND_SAMPLE.zh + BLIND_SAMPLE.en);
    expect(new Set(labels.map((label) => label.ref)).size).toBe(labels.length);
    for (const { aspects } of labels) {
      expect(
        aspects.every(
          ({ aspect, sentiment }) => (ASPECT_NAMES as readonly string[]).includes(aspect) && ['positive', 'negative', 'neutral'].includes(sentiment),
        ),
      ).toBe(true);
      expect(new Set(aspects.map(({ aspect }) => aspect)).size).toBe(aspects.length);
    }
  });

  withData(
    'finds each labelled review in the data folder, as the seeded sample drew it, and none of the fixture',
    async () => {
      const examples = await blindAspectExamples(SERENDIP_DATA_DIR, fixtureTexts);
      expect(examples.filter((example) => example.language === 'zh')).toHaveLength(BLIND_SAMPLE.zh);
      expect(examples.filter((example) => example.language === 'en')).toHaveLength(BLIND_SAMPLE.en);
      expect(examples.some((example) => fixtureTexts.has(example.text))).toBe(false);
      // A review the sample drew, read back from its row.
      expect(examples.find((example) => example.id === 'online_shopping_10_cats:3c7220c1f8caac1b-1')?.text).toBe('很好用，感觉比较浓缩，用量不用太多即可');
    },
    60_000,
  );
});
