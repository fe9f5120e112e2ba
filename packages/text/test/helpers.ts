import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAspectExamples, type AspectExample } from '../src';

/** The hand-labelled fixture, validated. */
export function loadExamples(): AspectExample[] {
  return parseAspectExamples(JSON.parse(readFileSync(join(__dirname, '../fixtures/aspect-examples.json'), 'utf8')));
}
