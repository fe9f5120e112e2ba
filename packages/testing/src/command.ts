import { spawn } from 'node:child_process';

export interface CommandRun {
  /** The exit code; null when a signal ended it. */
  code: number | null;
  out: string;
  err: string;
}

/**
 * Runs a TypeScript command (`pnpm admin:grant`, `pnpm index:snapshot`, …) as its own process,
 * compiled by tsx as its package script starts it, with `env` over this process's environment;
 * resolves with its exit code and everything it wrote to stdout and stderr.
 */
export function runTsCommand(entry: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}
