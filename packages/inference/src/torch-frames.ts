/**
 * The pipe protocol between the torch backend and models/training/serve.py (its docstring is the
 * reference): little-endian frames, each a u32 byte length and that many bytes. Results come back
 * as raw float32, so a batch's numbers are copied once instead of printed and parsed.
 */

export const TORCH_PROTOCOL = 1;

export enum FrameStatus {
  Result = 0,
  /** This batch failed; the process goes on. */
  Error = 1,
  /** Sent once, after loading: JSON describing the model. */
  Ready = 2,
  /** Sent once instead of Ready when loading failed; the process then exits. */
  Failed = 3,
}

export type Frame =
  | { status: FrameStatus.Result; id: number; rows: number; width: number; values: Float32Array }
  | { status: FrameStatus.Error | FrameStatus.Ready | FrameStatus.Failed; id: number; text: string };

/** One batch of token ids as the server reads it: `rows` texts padded to `tokens` ids each. */
export interface TokenBatch {
  rows: number;
  tokens: number;
  inputIds: Int32Array;
  attentionMask: Int32Array;
}

/** Bytes that cannot be a frame: the stream is out of step and the process must be replaced. */
class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

/**
 * Far above any real answer (512 texts of 1,024 floats is 2 MB); a larger length means the
 * stream is corrupt, and waiting for that many bytes would only hang the batch.
 */
const MAX_FRAME_BYTES = 256 << 20;
const LENGTH_BYTES = 4;
const REQUEST_HEADER_BYTES = 12;
const RESPONSE_HEADER_BYTES = 8;
const RESULT_HEADER_BYTES = 16;

export function encodeRequest(id: number, batch: TokenBatch): Buffer {
  const count = batch.rows * batch.tokens;
  if (batch.inputIds.length !== count || batch.attentionMask.length !== count) {
    throw new Error(`a batch of ${batch.rows}x${batch.tokens} tokens needs ${count} ids and mask values`);
  }
  const frame = Buffer.alloc(LENGTH_BYTES + REQUEST_HEADER_BYTES + 8 * count);
  frame.writeUInt32LE(frame.length - LENGTH_BYTES, 0);
  frame.writeUInt32LE(id, 4);
  frame.writeUInt32LE(batch.rows, 8);
  frame.writeUInt32LE(batch.tokens, 12);
  const body = LENGTH_BYTES + REQUEST_HEADER_BYTES;
  // Int32Array holds native byte order, which is little-endian on every platform Node runs on here.
  Buffer.from(batch.inputIds.buffer, batch.inputIds.byteOffset, 4 * count).copy(frame, body);
  Buffer.from(batch.attentionMask.buffer, batch.attentionMask.byteOffset, 4 * count).copy(frame, body + 4 * count);
  return frame;
}

export function decodeFrame(payload: Buffer): Frame {
  if (payload.length < RESPONSE_HEADER_BYTES) throw new FrameError(`a frame of ${payload.length} bytes is shorter than its header`);
  const id = payload.readUInt32LE(0);
  const code = payload.readUInt32LE(4);
  if (!(code in FrameStatus)) throw new FrameError(`frame ${id} has unknown status ${code}`);
  const status = code as FrameStatus;
  if (status === FrameStatus.Result) {
    if (payload.length < RESULT_HEADER_BYTES) throw new FrameError(`result ${id} of ${payload.length} bytes is shorter than its header`);
    const rows = payload.readUInt32LE(8);
    const width = payload.readUInt32LE(12);
    const bytes = 4 * rows * width;
    if (payload.length !== RESULT_HEADER_BYTES + bytes) {
      throw new FrameError(`result ${id} of ${rows}x${width} floats has ${payload.length - RESULT_HEADER_BYTES} bytes of values, not ${bytes}`);
    }
    // Copied into a buffer of its own: the payload's offset inside Node's pooled buffer need not
    // be a multiple of 4, which a Float32Array view requires.
    const values = new Float32Array(rows * width);
    new Uint8Array(values.buffer).set(payload.subarray(RESULT_HEADER_BYTES));
    return { status, id, rows, width, values };
  }
  return { status, id, text: payload.toString('utf8', RESPONSE_HEADER_BYTES) };
}

/** Cuts the server's stdout, which arrives in chunks of any size, into frames. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Byte length of the frame being received, once its length prefix is in. */
  private expected: number | null = null;

  /** The frames completed by `chunk`; throws FrameError when the bytes cannot be frames. */
  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      if (this.expected === null) {
        if (this.buffered < LENGTH_BYTES) break;
        this.expected = this.joined().readUInt32LE(0);
        if (this.expected > MAX_FRAME_BYTES) throw new FrameError(`frame length ${this.expected} exceeds ${MAX_FRAME_BYTES} bytes`);
      }
      if (this.buffered < LENGTH_BYTES + this.expected) break;
      const all = this.joined();
      frames.push(decodeFrame(all.subarray(LENGTH_BYTES, LENGTH_BYTES + this.expected)));
      const rest = all.subarray(LENGTH_BYTES + this.expected);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      this.expected = null;
    }
    return frames;
  }

  /** Everything buffered as one Buffer, joined once a frame is complete rather than at every chunk of it. */
  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0]!;
  }
}
