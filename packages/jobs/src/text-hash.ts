import { createHash } from 'node:crypto';

/**
 * SHA-256 (hex) of the text a vector was embedded from. The catalogue stores it beside each
 * product vector and compares it with the product's current text to find stale vectors; the
 * worker stamps the vectors it stores with it.
 */
export const textHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
