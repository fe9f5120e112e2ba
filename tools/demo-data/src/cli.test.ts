import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testSecrets } from '@serendip/testing';
import { formatSummary, main, parseArguments } from './cli';
import { DataDirectoryError } from './import';

describe('parseArguments', () => {
  it('defaults to the demo profile without --if-empty', () => {
    expect(parseArguments([])).toEqual({ profile: 'demo', ifEmpty: false, help: false });
  });

  it('reads --profile in both spellings and --if-empty', () => {
    expect(parseArguments(['--profile', 'full', '--if-empty'])).toEqual({ profile: 'full', ifEmpty: true, help: false });
    expect(parseArguments(['--profile=demo'])).toMatchObject({ profile: 'demo' });
  });

  it('refuses unknown profiles and arguments', () => {
    expect(() => parseArguments(['--profile', 'huge'])).toThrow('--profile must be one of demo, full');
    expect(() => parseArguments(['--profile'])).toThrow('--profile must be one of');
    expect(() => parseArguments(['--fast'])).toThrow('unknown argument --fast');
  });
});

describe('formatSummary', () => {
  it('prints an aligned table of planned, new and stored rows and the rows left out', () => {
    const text = formatSummary(
      {
        profile: 'demo',
        skipped: false,
        planned: { categories: 547, products: 14383, shoppers: 13312, events: 69142, reviews: 7926 },
        added: { events: 69142, reviews: 7926 },
        totals: { categories: 599, products: 14383, shoppers: 13314, events: 69142, reviews: 7926 },
        skippedRows: { 'retail: cancellation lines': 1017 },
      },
      19.2,
    );
    expect(text.split('\n')).toEqual([
      'demo data (demo profile) in 19s',
      'kind        planned    new  in database',
      'categories      547      -          599',
      'products      14383      -        14383',
      'shoppers      13312      -        13314',
      'events        69142  69142        69142',
      'reviews        7926   7926         7926',
      '  left out: retail: cancellation lines: 1017',
    ]);
  });
});

describe('main', () => {
  // The data folder is looked at after the settings load, and tests must set every secret (the database passwords).
  const settings = { ...testSecrets(), SERENDIP_DATA_DIR: '' };
  const saved = Object.fromEntries(Object.keys(settings).map((name) => [name, process.env[name]]));
  let empty: string;

  beforeAll(async () => {
    empty = await mkdtemp(join(tmpdir(), 'serendip-no-data-'));
    Object.assign(process.env, settings);
  });

  afterAll(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await rm(empty, { recursive: true, force: true });
  });

  it('exits 2 with a clear message when the data directory lacks the data sets', async () => {
    process.env.SERENDIP_DATA_DIR = empty;
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await main([])).toBe(2);
      const message = String(errors.mock.calls[0]?.[0]);
      expect(message).toBe(
        `demo-data: demo data not found in ${empty}: no data sets. Set SERENDIP_DATA_DIR to the folder holding the shared data sets (see docs/demo-data.md).`,
      );
    } finally {
      errors.mockRestore();
    }
  });

  it('names the missing files when only some data sets are there', () => {
    expect(new DataDirectoryError('/data', ['amazon_beauty_s3rec/Beauty.txt']).message).toBe(
      'demo data not found in /data: missing amazon_beauty_s3rec/Beauty.txt. Set SERENDIP_DATA_DIR to the folder holding the shared data sets (see docs/demo-data.md).',
    );
  });

  it('exits 2 with the usage on a bad argument', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await main(['--profile', 'huge'])).toBe(2);
      expect(String(errors.mock.calls[0]?.[0])).toContain('usage: tsx tools/demo-data/src/cli.ts');
    } finally {
      errors.mockRestore();
    }
  });
});
