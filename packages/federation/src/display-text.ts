import { badInput } from './errors';

/**
 * Characters that change how text around them is shown rather than being shown themselves:
 * C0 and C1 controls (and DEL), the bidirectional marks, embeddings, overrides and isolates
 * (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069, the deprecated U+206A–U+206F), line and
 * paragraph separators, interlinear annotations (U+FFF9–U+FFFB), and unpaired surrogates (not text
 * at all). In text one shopper writes and others read, a right-to-left override makes a review or
 * name read differently from what is stored (`evil\u202Etxt.exe`), and controls forge lines in
 * logs and terminals. Joiners (U+200C, U+200D) stay: emoji sequences and several scripts need them.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const SINGLE_LINE_UNSAFE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u206F\uFFF9-\uFFFB]|\p{Cs}/u;
/** The same, less the line feed and tab that multi-line text (a review) may hold. */
// eslint-disable-next-line no-control-regex -- as above
const MULTI_LINE_UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u206F\uFFF9-\uFFFB]|\p{Cs}/u;

export interface DisplayTextOptions {
  /** Line feeds and tabs are allowed (reviews); otherwise they are refused too (names). @default false */
  multiline?: boolean;
}

/** The first control or formatting character of `text` as `U+XXXX`, or null when there is none. */
export function unsafeDisplayCharacter(text: string, options: DisplayTextOptions = {}): string | null {
  const match = (options.multiline ? MULTI_LINE_UNSAFE : SINGLE_LINE_UNSAFE).exec(text);
  if (!match) return null;
  return `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Refuses, with BAD_USER_INPUT on `field`, text others will read that holds a control or a
 * formatting character (see above). Refused rather than stripped: what is stored and shown is then
 * exactly what the writer sent, and a client learns at once which character was not accepted.
 */
export function requireDisplayText(text: string, field: string, options: DisplayTextOptions = {}): string {
  const unsafe = unsafeDisplayCharacter(text, options);
  if (unsafe) throw badInput(`${field} must not contain control or text-direction characters (found ${unsafe})`, field);
  return text;
}
