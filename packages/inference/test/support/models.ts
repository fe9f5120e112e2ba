import fs from 'node:fs';
import path from 'node:path';
import { loadInferenceConfig, type InferenceConfig } from '../../src';

/** The committed models, as a process with no settings would load them. */
export const committedConfig = (overrides: Partial<InferenceConfig> = {}): InferenceConfig => ({ ...loadInferenceConfig({}), ...overrides });

export function readModelJson(model: string, file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(committedConfig().MODELS_DIR, model, file), 'utf8')) as Record<string, unknown>;
}

export const dot = (a: Float32Array, b: Float32Array): number => a.reduce((sum, value, index) => sum + value * b[index]!, 0);

export const maxAbsDifference = (a: Float32Array, b: Float32Array): number => a.reduce((max, value, index) => Math.max(max, Math.abs(value - b[index]!)), 0);

/** ~5,000 characters of review text, far past the 128-token limit. */
export const longReview = (seed: string): string =>
  `${seed}${'这款平板电脑屏幕清晰，运行流畅，电池续航也很给力。The battery lasts all day. '.repeat(110)}`.slice(0, 5000);
