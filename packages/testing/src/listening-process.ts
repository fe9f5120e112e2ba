import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

const answers = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Starts a server (`command` with `args`) and waits until loopback `port` answers; `name` is who it is in errors. */
export async function startListening(name: string, command: string, args: readonly string[], port: number): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!(await answers(port))) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} on port ${port}`);
    if (Date.now() > deadline) {
      await kill(child);
      throw new Error(`${name} did not answer on port ${port} within 10 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

/** SIGKILL (nothing saved), resolved once the process has gone. */
export async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
