import { requireText } from './validate';
import { englishRules, normaliseEnglish, words, type Language } from './tokenize';

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface Sentiment {
  label: SentimentLabel;
  /** Confidence in `label`, in [0.5, 1). */
  score: number;
}

type Entry =
  | { kind: 'negator' | 'intensifier' | 'neutral' }
  /** `exclamatory`: 太好了 and 'too cute' stay positive; 有点喜欢 is only half as positive. */
  | { kind: 'excess'; exclamatory: boolean }
  /** Evaluative words: their weight is their polarity. */
  | { kind: 'polar'; weight: number }
  /** Attribute words (小, 咸, tight): `weight` alone, but -1 after an excess marker (偏小, too tight). */
  | { kind: 'attribute'; weight: number };

/** Chinese lists are space separated; English lists, which hold phrases, are comma separated. */
const terms = (list: string): string[] => list.trim().split(list.includes(',') ? /\s*,\s*/u : /\s+/u);

function entries(kind: 'negator' | 'intensifier' | 'neutral', list: string): [string, Entry][] {
  return terms(list).map((term) => [term, { kind }]);
}
function excess(exclamatory: boolean, list: string): [string, Entry][] {
  return terms(list).map((term) => [term, { kind: 'excess', exclamatory }]);
}
function weighted(kind: 'polar' | 'attribute', weight: number, list: string): [string, Entry][] {
  return terms(list).map((term) => [term, { kind, weight }]);
}

const ZH: [string, Entry][] = [
  ...entries('negator', '不 没 没有 不是 不怎么 不够 无 毫无 并不 并没有 从不 从来不 未 别 不会 不大'),
  ...entries('intensifier', '很 非常 特别 超 超级 挺 蛮 真 真的 相当 十分 极 极其 巨 最 更 特 好好'),
  ...excess(true, '太 太过'),
  ...excess(false, '过于 偏 有点 有点儿 有些 稍 稍微 略 略微'),
  // Known words that would otherwise be read as a modifier plus a polar word (最好不要买).
  ...entries('neutral', '最好 不少 差不多 差点 好多 好几 好像 只好 不过 只不过 不但 不仅 不管 不论 不然 不用'),
  ...weighted(
    'polar',
    1,
    `
    好 不错 满意 喜欢 喜爱 爱 漂亮 好看 美 帅 酷 舒服 舒适 合适 合身 刚好 正好 快 迅速 及时 准时 便宜 实惠 划算 合算 超值
    值 值得 值了 新鲜 好吃 好喝 美味 鲜美 香甜 香 清香 结实 耐用 精致 精细 柔软 透气 热情 耐心 周到 专业 给力 赞 棒 完美 优秀
    流畅 清晰 方便 推荐 惊喜 靠谱 正品 厚实 时尚 洋气 显瘦 显白 暖和 好用 稳定 完好 细心 满分 好评 五星 一流 优质 干净 卫生
    快捷 神速 挺好 不赖 到位 优 够味 入味 多汁 爽口 清脆 百搭 大气 亲肤 顺滑 柔顺 诚信 信得过 放心 强大 实用 开心 感谢`,
  ),
  ...weighted('polar', 0.5, '可以 还行 还好 还可以 性价比 凑合'),
  ...weighted('polar', -0.5, '一般 一般般 可惜 遗憾 不如 退货 麻烦 难 小气'),
  ...weighted(
    'polar',
    -1,
    `
    差 很差 垃圾 不好 失望 难看 丑 难吃 难喝 难用 坑 坑人 假货 假 次品 破 坏 烂 脏 臭 馊 腥 油腻 粗糙 劣质 起球 掉色 褪色
    缩水 变形 开线 开裂 裂缝 线头 瑕疵 色差 不符 问题 故障 毛病 死机 卡顿 发热 发烫 噪音 异味 刺鼻 扎 痒 闷 磨脚 勒 硌 不值
    敷衍 恶心 投诉 差评 后悔 糟糕 郁闷 生气 无语 骗人 欺骗 不满 漏 洒 撒 压坏 破损 变质 腐烂 没味 无味 淡而无味 失败 繁琐
    拉肚子 耗电 迟到 超时 不行 错 吵 简陋 窄小 不合理 涩 不爽 差劲 太差 气人 慢 不怎么样 不咋地 坏掉 坏了 坏的 烂了 烂的
    破了 破的 漏了 洒了 过大 过小 过长 过短 过紧 过肥 过硬 过咸 过甜 过辣`,
  ),
  ...weighted('attribute', 0, '大 小 长 短 宽 厚 薄 松 瘦 轻 重 软 辣 酸 热 烫 透 深 浅 亮 多 少 高 低'),
  ...weighted('attribute', -0.5, '窄 紧 肥 硬 咸 淡 苦 油 腻 冷 暗'),
  ...weighted('attribute', 0.5, '甜 脆'),
  ...weighted('attribute', -1, '贵 凉'),
];

const EN: [string, Entry][] = [
  ...entries('negator', 'not, no, never, nothing, none, nor, without, hardly, barely, cannot'),
  ...entries('intensifier', 'very, really, so, super, extremely, incredibly, absolutely, totally, quite, truly, definitely, such'),
  ...excess(true, 'too, way too'),
  ...excess(false, 'overly, a bit, a little, a tad, a lil, slightly, somewhat, kind of, kinda, sort of'),
  ...entries('neutral', 'as well, as good as, pretty much'),
  ...weighted(
    'polar',
    1,
    `
    good, great, love, loved, lovely, luv, nice, perfect, perfectly, beautiful, beautifully, gorgeous, pretty, cute,
    adorable, flattering, comfortable, comfy, cozy, cosy, fast, quick, quickly, excellent, amazing, awesome, fantastic,
    wonderful, fabulous, happy, glad, pleased, recommend, best, favorite, favourite, elegant, stylish, chic, classy,
    sturdy, durable, worth, bargain, affordable, helpful, friendly, flawless, breathable, compliment, stunning, unique,
    versatile, slimming, supple, luxurious, divine, terrific, superb, impressed, keeper, enjoy, wow, true to size,
    well made, just right, on time, soft, softer, softest`,
  ),
  ...weighted('polar', 0.5, 'fine, well, fun, easy, free, lightweight, sturdy enough, okay, ok'),
  ...weighted(
    'polar',
    -0.5,
    `
    unfortunately, sadly, return, returned, returning, send back, sent back, sending back, con, pricey, see through,
    see thru, maternity, size up, size down, wanted to love, want to love, wish`,
  ),
  ...weighted(
    'polar',
    -1,
    `
    bad, poor, poorly, cheap, cheaply, terrible, awful, horrible, ugly, unflattering, disappointed, disappointing,
    disappointment, itchy, scratchy, uncomfortable, flimsy, frumpy, dowdy, boxy, shapeless, huge, overpriced,
    expensive, late, slow, rude, wrong, stiff, odd, weird, strange, awkward, bummed, meh, wasted, waste, shrink,
    shrank, shrunk, fade, faded, pill, pilled, pilling, hole, ripped, torn, snag, snagged, unravel, defect, defective,
    broke, broken, stain, stained, leaking, wrinkle, wrinkled, fall apart, fell apart, falling apart, falling off,
    problem, issue, complaint, complain, mistake, sloppy, coarse, ill fitting, not for me, wash me out, run small, run large, run big,
    run short, run long, run narrow, run wide, run tight, bland, stale, rotten, crushed`,
  ),
  ...weighted(
    'attribute',
    0,
    'small, big, large, loose, long, short, thick, wide, narrow, low, high, heavy, light, hot, dark, bright, snug, roomy, oversized, sheer',
  ),
  ...weighted('attribute', -0.5, 'tight, thin, tiny, baggy'),
  ...weighted('attribute', 0.5, 'warm'),
];

const ZH_LEXICON = new Map(ZH);
const EN_LEXICON = new Map(EN.map(([term, entry]) => [term.split(' ').map(normaliseEnglish).join(' '), entry]));
const HAN = /\p{Script=Han}/u;
const PARTICLES = new Set(['了', '的', '啦', '呀', '啊', '哦']);
const MAX_PHRASE = 3;
/** Modifiers a jieba word may start with (不耐用, 太慢, 偏小, 有点大), longest first. */
const ZH_MODIFIERS = ZH.filter(([, entry]) => entry.kind === 'negator' || entry.kind === 'intensifier' || entry.kind === 'excess')
  .map(([term]) => term)
  .sort((a, b) => b.length - a.length);

/**
 * Splits an unknown jieba word into a modifier and a known rest (太慢 → 太 慢, 太好了 → 太 好), so
 * the modifier rules see it; words whose rest is not in the lexicon (超市, 不知道) stay whole.
 */
function expand(word: string): string[] {
  if (ZH_LEXICON.has(word)) return [word];
  for (const modifier of ZH_MODIFIERS) {
    if (word.length <= modifier.length || !word.startsWith(modifier)) continue;
    const rest = expand(word.slice(modifier.length));
    if (rest.length > 1 || ZH_LEXICON.has(rest[0]!)) return [modifier, ...rest];
  }
  // A sentence-final particle glued on by the dictionary (太好了).
  if (word.length > 1 && PARTICLES.has(word.at(-1)!)) {
    const stem = expand(word.slice(0, -1));
    if (stem.length > 1 || ZH_LEXICON.has(stem[0]!)) return stem;
  }
  return [word];
}

function lookup(key: string, han: boolean, english: boolean): Entry | undefined {
  if (han) return ZH_LEXICON.get(key);
  if (!english) return undefined;
  return EN_LEXICON.get(key) ?? (key.endsWith("n't") ? { kind: 'negator' } : undefined);
}

/** Lexicon entries of a clause in order, longest phrase first; undefined for other words. */
function match(tokens: string[], english: boolean): (Entry | undefined)[] {
  const out: (Entry | undefined)[] = [];
  for (let i = 0; i < tokens.length;) {
    const han = HAN.test(tokens[i]!);
    let found: Entry | undefined;
    let length = 1;
    for (let n = Math.min(MAX_PHRASE, tokens.length - i); n >= 1 && !found; n -= 1) {
      const span = tokens.slice(i, i + n);
      if (span.some((token) => HAN.test(token) !== han)) continue;
      found = lookup(span.join(han ? '' : ' '), han, english);
      length = n;
    }
    out.push(found);
    i += found ? length : 1;
  }
  return out;
}

/** Words a negator reaches (没有想象中的好 needs four), and an intensifier or excess marker. */
const NEGATION_REACH = 4;
const MODIFIER_REACH = 2;

/** Sum of the clause's polarity weights after negation, excess and intensity rules. */
function polarityWeight(clause: string, language: Language): number {
  const tokens = words(clause, language).flatMap((word) => (HAN.test(word) ? expand(word) : [word]));
  let total = 0;
  let negation = 0;
  let intensity = 0;
  let excessLeft = 0;
  let exclamatory = false;
  for (const entry of match(tokens, englishRules(language))) {
    if (entry?.kind === 'negator') negation = NEGATION_REACH;
    else if (entry?.kind === 'intensifier') intensity = MODIFIER_REACH;
    else if (entry?.kind === 'excess') {
      excessLeft = MODIFIER_REACH;
      exclamatory = entry.exclamatory;
    } else if (entry?.kind === 'polar' || entry?.kind === 'attribute') {
      let weight = entry.weight;
      if (excessLeft > 0) {
        if (entry.kind === 'attribute') weight = -1;
        else if (weight > 0 && !exclamatory) weight /= 2;
      }
      if (intensity > 0) weight *= 1.5;
      // 不贵 is praise, but weaker than 便宜; 不好 is as negative as 差.
      if (negation > 0) weight = weight > 0 ? -weight : -weight / 2;
      total += weight;
      negation = intensity = excessLeft = 0;
    } else {
      negation -= 1;
      intensity -= 1;
      excessLeft -= 1;
    }
  }
  return total;
}

/**
 * Rule-based sentiment of one clause: a FALLBACK for when no classifier model is available
 * (tests, a model that failed to load, a language it does not cover). Evaluative words count ±1
 * or ±0.5; a negator (不/没/没有/不是; not/no/never/…n't) within four words flips the next one
 * (a negated complaint counts half: 不贵); an intensifier (很/非常; very/so) within two words
 * multiplies it by 1.5; an excess marker (太/偏/有点; too/a bit) makes an attribute word negative
 * (偏小, 太咸, too tight) and halves praise unless it is 太/too (太好了). Label by the sign of the
 * sum (|sum| < 0.25 is neutral, score 0.5); score = 0.5 + 0.45·(1 − e^−|sum|), so one cue gives
 * ≈ 0.78 and two ≈ 0.89. It misses sarcasm, comparisons and most context; read the README numbers.
 */
export function lexiconPolarity(clause: string, language: Language): Sentiment {
  requireText(clause, 'clause');
  requireText(language, 'language');
  const total = polarityWeight(clause, language);
  if (Math.abs(total) < 0.25) return { label: 'neutral', score: 0.5 };
  return { label: total > 0 ? 'positive' : 'negative', score: 0.5 + 0.45 * (1 - Math.exp(-Math.abs(total))) };
}
