const HAN = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;
const LETTER = /\p{L}/u;

export type DetectedLanguage = 'zh' | 'en' | 'und';

/**
 * Guesses a review's language from the script of its letters: `zh` when Han characters are more
 * than half of all letters, `en` when Latin letters are, `und` otherwise (no letters, another
 * script, or an even mix). Digits, punctuation and emoji do not count either way.
 */
export function detectLanguage(text: string): DetectedLanguage {
  let letters = 0;
  let han = 0;
  let latin = 0;
  for (const char of text) {
    if (HAN.test(char)) han += 1;
    else if (LATIN.test(char)) latin += 1;
    else if (!LETTER.test(char)) continue;
    letters += 1;
  }
  if (han * 2 > letters) return 'zh';
  if (latin * 2 > letters) return 'en';
  return 'und';
}
