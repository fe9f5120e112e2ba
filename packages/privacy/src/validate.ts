import { PrivacyError } from './errors';

export function badInput(message: string, field: string): PrivacyError {
  return new PrivacyError('BAD_USER_INPUT', message, field);
}

export function requireFinite(value: number, field: string): void {
  if (!Number.isFinite(value)) throw badInput(`${field} must be a finite number, got ${value}`, field);
}

export function requirePositive(value: number, field: string): void {
  if (!(value > 0) || !Number.isFinite(value)) throw badInput(`${field} must be a positive finite number, got ${value}`, field);
}

export function requireNonNegative(value: number, field: string): void {
  if (!(value >= 0) || !Number.isFinite(value)) throw badInput(`${field} must be a non-negative finite number, got ${value}`, field);
}

/** Open interval (min, max). */
export function requireOpenRange(value: number, min: number, max: number, field: string): void {
  if (!(value > min && value < max)) throw badInput(`${field} must be in (${min}, ${max}), got ${value}`, field);
}
