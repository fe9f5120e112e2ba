import { badInput } from '@serendip/federation';

export const MAX_TEXT_CHARACTERS = 5000;

/**
 * The trimmed review text, or BAD_USER_INPUT. A string of more than twice the limit in UTF-16
 * units has more than the limit in characters, so an oversized body is refused before it is
 * scanned at all.
 */
export function reviewText(raw: string): string {
  const tooLong = () => badInput(`text must be at most ${MAX_TEXT_CHARACTERS} characters`, 'text');
  if (raw.length > MAX_TEXT_CHARACTERS * 2) throw tooLong();
  const text = raw.trim();
  if (text.length === 0) throw badInput('text must not be empty', 'text');
  // Characters are code points, so a review in Chinese or with emoji gets the same allowance.
  if ([...text].length > MAX_TEXT_CHARACTERS) throw tooLong();
  return text;
}

export function reviewRating(rating: number): number {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw badInput('rating must be an integer from 1 to 5', 'rating');
  return rating;
}
