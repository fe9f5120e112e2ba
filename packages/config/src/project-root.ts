import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | null = null;

/**
 * The checkout's (or image's) root: the nearest folder above this file that holds
 * pnpm-workspace.yaml. Found rather than counted (`../../..`) so that a path means the same from
 * the TypeScript sources and from `pnpm build`'s bundles in dist/, whose files sit at other depths
 * and carry every package's code inlined.
 */
export function projectRoot(): string {
  if (root !== null) return root;
  for (let folder = __dirname; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'pnpm-workspace.yaml'))) return (root = folder);
    if (dirname(folder) === folder) throw new Error(`no pnpm-workspace.yaml above ${__dirname}: run Serendip from its checkout or image`);
  }
}

/** A path under the project root. */
export const projectPath = (...segments: string[]): string => join(projectRoot(), ...segments);
