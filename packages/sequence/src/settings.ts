import path from 'node:path';
import { projectPath, z } from '@serendip/config';

/**
 * Where versions live and how often processes look for a new one. Every process that serves or
 * trains the model (the worker, each recommendation replica, `pnpm train:sequence`) must see the
 * same folder: one disk, or a shared volume past one machine.
 */
export const sequenceModelEnv = {
  /** Folder of model versions, one sub-folder each. @default <repo>/.run/sequence-models */
  SEQUENCE_MODEL_DIR: z.string().default(projectPath('.run', 'sequence-models')),
  /** How often the registry is read for a new serving version. @default 30000 */
  SEQUENCE_MODEL_POLL_MS: z.coerce.number().int().min(100).default(30_000),
} as const;

const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** The folder of one version; a name that could leave the folder is refused. */
export function sequenceVersionDir(modelDir: string, version: string): string {
  if (!VERSION.test(version) || version.includes('..')) throw new Error(`not a sequence model version name: ${JSON.stringify(version)}`);
  return path.join(modelDir, version);
}
