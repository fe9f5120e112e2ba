/**
 * Labels that no aspect rule of packages/text wrote: the complaint a women's clothing review's own
 * title names ("Runs small", "Poor quality", "Too long", "Itchy"). eval:feedback uses them as an
 * independent test of aspect detection, and of each product's suggestions, both computed on the
 * review body alone so that the title never reaches the analyser.
 *
 * The rule below was written, and is kept as written, before the analyser's output on these reviews
 * was looked at: the patterns come from the aspect scopes in packages/text/src/lexicon.ts's header
 * and from common words of clothing complaints, not from the lexicon's term lists (which would make
 * the test agree with itself). Only titles of reviews of 1-3 stars count: there a named aspect is
 * a complaint. A title may name several aspects, or none (most titles name none: "Disappointed").
 */
import type { AspectName } from '../../packages/text/src';

/** Stars at most which a review's title names a complaint. */
export const COMPLAINT_STARS = 3;

const RULES: readonly [AspectName, RegExp][] = [
  [
    'size_fit',
    /\b(runs?|ran) (small|large|big|short|long|tight|true)\b|\btoo (small|big|large|tight|loose|long|short|snug|boxy|baggy|wide|low|high)\b|\b(size|sizes|sizing|sized|fit|fits|fitting|fitted|petite|tight|snug|huge|tiny|boxy|baggy|oversized|shapeless|length|tent|short|long)\b/,
  ],
  [
    'quality',
    /\b(quality|cheap|cheaply|thin|flimsy|poorly made|fell apart|falling apart|ripped|rip|tore|torn|holes?|pill|pills|pilled|pilling|snags?|snagged|shrank|shrunk|shrinks|unravel\w*|defect\w*|damaged|fabric|material|see[- ]through|sheer|wrinkl\w*|stain\w*)\b/,
  ],
  ['appearance', /\b(colou?rs?|pattern|print|unflattering|frumpy|ugly|style|design|pictured?|picture|photo|washed out|dull|looks)\b/],
  ['comfort', /\b(itch\w*|scratch\w*|uncomfortable|comfort|comfortable|stiff)\b/],
  ['price', /\b(price\w*|overpriced|expensive|money|worth|cost\w*)\b/],
  ['logistics', /\b(shipping|shipped|delivery|delivered|arrived late)\b/],
  ['service', /\b(customer service|return policy|refund\w*)\b/],
  ['packaging', /\b(packag\w*|box)\b/],
];

/** The aspects a complaint title names, in the order of the rules. */
export function titleAspects(title: string): AspectName[] {
  const text = title.toLowerCase();
  return RULES.filter(([, pattern]) => pattern.test(text)).map(([aspect]) => aspect);
}

/** How many of the given complaint reviews' titles name each aspect. */
export function titleComplaintCounts(reviews: readonly { title: string; rating: number }[]): Map<AspectName, number> {
  const counts = new Map<AspectName, number>();
  for (const review of reviews) {
    if (review.rating > COMPLAINT_STARS) continue;
    for (const aspect of titleAspects(review.title)) counts.set(aspect, (counts.get(aspect) ?? 0) + 1);
  }
  return counts;
}

/** The `top` aspects named most often, each named at least `min` times; ties by name. */
export function namedMost(counts: ReadonlyMap<AspectName, number>, top = 3, min = 2): AspectName[] {
  return [...counts]
    .filter(([, count]) => count >= min)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, top)
    .map(([aspect]) => aspect);
}

/** Share of the first `k` suggested aspects that are relevant; null when nothing is suggested. */
export function precisionAt(suggested: readonly AspectName[], relevant: readonly AspectName[], k = 3): number | null {
  const head = suggested.slice(0, k);
  if (head.length === 0) return null;
  return head.filter((aspect) => relevant.includes(aspect)).length / head.length;
}
