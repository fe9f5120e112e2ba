/**
 * A stand-in for models/training/serve.py that misbehaves on purpose (see fake-torch.ts), so the
 * torch backend's handling of each failure is tested without waiting for PyTorch to load. Its
 * answers are two floats per text, this process's pid and the text's first token id, so a test
 * sees which process answered what.
 */
import { FrameStatus } from '../../src/torch-frames';
import { FakeBatch, type FakeStart } from './fake-torch';

const start = process.argv[2] as FakeStart;

function send(id: number, status: FrameStatus, body: Buffer): void {
  const head = Buffer.alloc(12);
  head.writeUInt32LE(8 + body.length, 0);
  head.writeUInt32LE(id, 4);
  head.writeUInt32LE(status, 8);
  process.stdout.write(Buffer.concat([head, body]));
}

function answer(id: number, rows: number, firstIds: number[]): void {
  const body = Buffer.alloc(8 + 8 * rows);
  body.writeUInt32LE(rows, 0);
  body.writeUInt32LE(2, 4);
  for (let row = 0; row < rows; row += 1) {
    body.writeFloatLE(process.pid, 8 + 8 * row);
    body.writeFloatLE(firstIds[row] ?? -1, 12 + 8 * row);
  }
  send(id, FrameStatus.Result, body);
}

/** One request: u32 length, then u32 id, rows, tokens and the int32 ids (serve.py's layout). */
function serve(request: Buffer): void {
  const id = request.readUInt32LE(4);
  const rows = request.readUInt32LE(8);
  const tokens = request.readUInt32LE(12);
  const firstIds = Array.from({ length: rows }, (_, row) => request.readInt32LE(16 + 4 * row * tokens));
  const behaviour = firstIds[0] as FakeBatch;
  if (behaviour === FakeBatch.Exit) process.stderr.write('fake: giving up on this batch\n', () => process.exit(7));
  else if (behaviour === FakeBatch.Garbage) process.stdout.write('Traceback (most recent call last):\n');
  else if (behaviour === FakeBatch.WrongShape) answer(id, rows + 1, [...firstIds, 0]);
  else if (behaviour === FakeBatch.Error) send(id, FrameStatus.Error, Buffer.from('ValueError: this batch is bad'));
  else if (behaviour !== FakeBatch.Hang) answer(id, rows, firstIds);
}

if (start === 'fail') {
  send(0, FrameStatus.Failed, Buffer.from('missing /models/x/pytorch_model.bin'));
  process.exit(2);
}
if (start === 'ready') send(0, FrameStatus.Ready, Buffer.from(JSON.stringify({ protocol: 1, task: 'embed', device: 'cpu', width: 2 })));

let pending = Buffer.alloc(0);
process.stdin.on('data', (chunk: Buffer) => {
  pending = Buffer.concat([pending, chunk]);
  while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32LE(0)) {
    const length = 4 + pending.readUInt32LE(0);
    serve(pending.subarray(0, length));
    pending = pending.subarray(length);
  }
});
// serve.py ends at the end of its input; so does this stand-in, whatever it was doing.
process.stdin.on('end', () => process.exit(0));
