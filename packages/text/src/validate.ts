import { TextError } from './errors';

export function requireText(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string') throw new TextError(`${field} must be a string, got ${typeof value}`, field);
}

export function requireCount(value: number, min: number, field: string): void {
  if (!Number.isInteger(value) || value < min) throw new TextError(`${field} must be an integer >= ${min}, got ${value}`, field);
}
