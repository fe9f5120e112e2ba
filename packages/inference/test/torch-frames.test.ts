import { decodeFrame, encodeRequest, FrameReader, FrameStatus, type Frame } from '../src/torch-frames';

/** A response frame as models/training/serve.py writes it: length, id, status, body. */
function frame(id: number, status: number, body: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt32LE(8 + body.length, 0);
  head.writeUInt32LE(id, 4);
  head.writeUInt32LE(status, 8);
  return Buffer.concat([head, body]);
}

function result(id: number, rows: number, width: number, values: number[]): Buffer {
  const body = Buffer.alloc(8 + 4 * values.length);
  body.writeUInt32LE(rows, 0);
  body.writeUInt32LE(width, 4);
  values.forEach((value, index) => body.writeFloatLE(value, 8 + 4 * index));
  return frame(id, FrameStatus.Result, body);
}

describe('torch frames', () => {
  it('lays a request out as serve.py reads it: length, id, rows, tokens, int32 ids, then the int32 mask', () => {
    const request = encodeRequest(7, {
      rows: 2,
      tokens: 3,
      inputIds: Int32Array.from([2, 15, 3, 2, 3, 0]),
      attentionMask: Int32Array.from([1, 1, 1, 1, 1, 0]),
    });
    expect(request.readUInt32LE(0)).toBe(request.length - 4);
    expect([request.readUInt32LE(4), request.readUInt32LE(8), request.readUInt32LE(12)]).toEqual([7, 2, 3]);
    const ints = Array.from({ length: 12 }, (_, index) => request.readInt32LE(16 + 4 * index));
    expect(ints).toEqual([2, 15, 3, 2, 3, 0, 1, 1, 1, 1, 1, 0]);
    expect(() => encodeRequest(1, { rows: 2, tokens: 3, inputIds: new Int32Array(5), attentionMask: new Int32Array(6) })).toThrow(
      'needs 6 ids and mask values',
    );
  });

  it('decodes results as float32 rows and texts as UTF-8', () => {
    const decoded = decodeFrame(result(3, 2, 2, [0.5, -1, 2.25, 1e-8]).subarray(4));
    expect(decoded).toMatchObject({ status: FrameStatus.Result, id: 3, rows: 2, width: 2 });
    expect(Array.from((decoded as Extract<Frame, { status: FrameStatus.Result }>).values)).toEqual([0.5, -1, 2.25, Math.fround(1e-8)]);
    expect(decodeFrame(frame(4, FrameStatus.Error, Buffer.from('RuntimeError: CUDA out of memory 内存')).subarray(4))).toEqual({
      status: FrameStatus.Error,
      id: 4,
      text: 'RuntimeError: CUDA out of memory 内存',
    });
  });

  it('refuses frames that cannot be frames of the protocol', () => {
    expect(() => decodeFrame(Buffer.alloc(5))).toThrow('a frame of 5 bytes is shorter than its header');
    expect(() => decodeFrame(frame(1, 9, Buffer.alloc(0)).subarray(4))).toThrow('frame 1 has unknown status 9');
    expect(() => decodeFrame(result(2, 2, 2, [1, 2, 3]).subarray(4))).toThrow('result 2 of 2x2 floats has 12 bytes of values, not 16');
    expect(() => new FrameReader().push(Buffer.from([0xff, 0xff, 0xff, 0x7f]))).toThrow(/frame length 2147483647 exceeds/);
  });

  it('reassembles frames from chunks of any size, several frames per chunk included', () => {
    const stream = Buffer.concat([frame(0, FrameStatus.Ready, Buffer.from('{"protocol":1}')), result(1, 1, 3, [1, 2, 3]), result(2, 2, 1, [4, 5])]);
    for (const size of [1, 3, 7, stream.length]) {
      const reader = new FrameReader();
      const frames: Frame[] = [];
      for (let start = 0; start < stream.length; start += size) frames.push(...reader.push(stream.subarray(start, start + size)));
      expect(frames.map((decoded) => [decoded.id, decoded.status])).toEqual([
        [0, FrameStatus.Ready],
        [1, FrameStatus.Result],
        [2, FrameStatus.Result],
      ]);
      expect(Array.from((frames[2] as Extract<Frame, { status: FrameStatus.Result }>).values)).toEqual([4, 5]);
    }
  });
});
