import { RecsysError } from './errors';

export function requireRange(value: number, min: number, max: number, field: string): void {
  if (!(value >= min && value <= max)) throw new RecsysError(`${field} must be in [${min}, ${max}], got ${value}`, field);
}

export function requireFinite(value: number, field: string): void {
  if (!Number.isFinite(value)) throw new RecsysError(`${field} must be a finite number, got ${value}`, field);
}

export function requireCount(value: number, min: number, field: string): void {
  if (!Number.isInteger(value) || value < min) throw new RecsysError(`${field} must be an integer >= ${min}, got ${value}`, field);
}
