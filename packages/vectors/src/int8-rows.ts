import type { FileSource } from './file-source';

/** Row width in bytes is the dimension rounded up to this: the dot product reads 16 codes a step (zeros pad a row). */
const ROW_ALIGN = 16;
const PAGE_BYTES = 65536;
/** Rows read from a file at a time when their padding must be added. */
const BLOCK_ROWS = 4096;
/** wasm32's whole address space: 65,536 pages of 64 KiB, 4 GiB of codes (about 20M products at 192 values). */
const MAX_PAGES = 65536;

/** Unsigned LEB128, WebAssembly's integer encoding. */
function leb128(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

const section = (id: number, bytes: number[]) => [id, ...leb128(bytes.length), ...bytes];
const name = (text: string) => [text.length, ...Buffer.from(text, 'ascii')];
const simd = (opcode: number) => [0xfd, ...leb128(opcode)];
const [LOCAL_GET, LOCAL_SET, I32_ADD, I32_GE_U, I32_CONST, BLOCK, LOOP, BR, BR_IF, END, VOID] = [
  0x20, 0x21, 0x6a, 0x4f, 0x41, 0x02, 0x03, 0x0c, 0x0d, 0x0b, 0x40,
];
const [I32, V128] = [0x7f, 0x7b];
/** SIMD opcodes: sign-extending load of 8 int8 to 8 int16, the int16 pairs' dot into 4 int32 lanes, lane-wise add, lane read. */
const [LOAD8X8_S, V128_CONST, DOT_I16X8_S, I32X4_ADD, I32X4_EXTRACT_LANE] = [0x01, 0x0c, 0xba, 0xae, 0x1b];
/** memarg of an 8-byte load: alignment 2^3, then the offset added to the address. */
const load8x8 = (local: number, offset: number) => [LOCAL_GET, local, ...simd(LOAD8X8_S), 3, offset];

/**
 * `dot(a, b, n)`: Σ a[i]·b[i] over the int8 codes at byte addresses a and b of the imported
 * memory, n a multiple of 16, as an exact int32 (|sum| ≤ n·127², far inside it for any
 * embedding). WebAssembly SIMD, which Node has run since 16: 16 codes a step, about 15× faster
 * than a JavaScript loop over Int8Arrays here. Written out by hand because the module is this one
 * function; params a (0), b (1), n (2); locals sum (3, four int32 lanes) and end (4).
 */
function dotModule(): Uint8Array<ArrayBuffer> {
  const code = [
    ...[2, 1, V128, 1, I32],
    ...[LOCAL_GET, 0, LOCAL_GET, 2, I32_ADD, LOCAL_SET, 4], // end = a + n
    ...[...simd(V128_CONST), ...new Array<number>(16).fill(0), LOCAL_SET, 3], // sum = 0
    ...[BLOCK, VOID, LOOP, VOID],
    ...[LOCAL_GET, 0, LOCAL_GET, 4, I32_GE_U, BR_IF, 1], // while a < end
    LOCAL_GET,
    3,
    ...[...load8x8(0, 0), ...load8x8(1, 0), ...simd(DOT_I16X8_S), ...simd(I32X4_ADD)],
    ...[...load8x8(0, 8), ...load8x8(1, 8), ...simd(DOT_I16X8_S), ...simd(I32X4_ADD)],
    ...[LOCAL_SET, 3],
    ...[LOCAL_GET, 0, I32_CONST, 16, I32_ADD, LOCAL_SET, 0], // a += 16
    ...[LOCAL_GET, 1, I32_CONST, 16, I32_ADD, LOCAL_SET, 1], // b += 16
    ...[BR, 0, END, END],
    ...[0, 1, 2, 3].flatMap((lane) => [LOCAL_GET, 3, ...simd(I32X4_EXTRACT_LANE), lane, ...(lane > 0 ? [I32_ADD] : [])]),
    END,
  ];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, [1, 0x60, 3, I32, I32, I32, 1, I32]), // type 0: (i32, i32, i32) → i32
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]), // import env.memory, at least 1 page
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(7, [1, ...name('dot'), 0x00, 0]), // export function 0 as "dot"
    ...section(10, [1, ...leb128(code.length), ...code]),
  ]);
}

let compiled: WebAssembly.Module | null = null;

/**
 * Vectors as rows of int8 codes, each with its own scale (a code times its row's scale is the
 * value): a quarter of float32's memory, and the cosine of a stored row to its vector above
 * 0.9999 at embedding sizes. The codes live in WebAssembly memory, so a dot product of two rows
 * runs as SIMD; a scratch row before row 0 holds the current query's codes.
 */
export class Int8Rows {
  /** Bytes a row takes: the dimension rounded up to 16, padded with zero codes. */
  readonly stride: number;
  private memory: WebAssembly.Memory;
  private readonly dotCodes: (a: number, b: number, n: number) => number;
  /** The memory's bytes as codes; replaced whenever the memory grows (growing detaches the old view). */
  private codes: Int8Array;
  private scales: Float32Array;
  private queryScale = 0;

  /**
   * `unit`: rows hold directions, each scaled to norm 1 after rounding, so a query's dot product
   * with a row is its cosine to the stored vector (never above 1); otherwise a row's scale keeps
   * its vector's norm (to 8 bits), as inner-product search needs.
   */
  constructor(
    readonly dimension: number,
    private rowCapacity: number,
    private readonly unit = false,
  ) {
    if (!Number.isInteger(dimension) || dimension < 1) throw new Error(`dimension ${dimension} is not a positive integer`);
    this.stride = Math.ceil(dimension / ROW_ALIGN) * ROW_ALIGN;
    this.memory = new WebAssembly.Memory({ initial: this.pagesFor(rowCapacity), maximum: MAX_PAGES });
    compiled ??= new WebAssembly.Module(dotModule());
    const instance = new WebAssembly.Instance(compiled, { env: { memory: this.memory } });
    this.dotCodes = instance.exports.dot as (a: number, b: number, n: number) => number;
    this.codes = new Int8Array(this.memory.buffer);
    this.scales = new Float32Array(rowCapacity);
  }

  get capacity(): number {
    return this.rowCapacity;
  }

  /** Room for `capacity` rows; existing rows keep their values. */
  grow(capacity: number): void {
    if (capacity <= this.rowCapacity) return;
    const pages = this.pagesFor(capacity) - this.memory.buffer.byteLength / PAGE_BYTES;
    if (pages > 0) this.memory.grow(pages);
    this.codes = new Int8Array(this.memory.buffer);
    const scales = new Float32Array(capacity);
    scales.set(this.scales);
    this.scales = scales;
    this.rowCapacity = capacity;
  }

  /** Stores `vector` (dimension values, at least one non-zero) as row `row`. */
  write(row: number, vector: ArrayLike<number>): void {
    this.scales[row] = quantise(vector, this.codes, this.offset(row), this.dimension, this.unit);
  }

  /** Makes `vector` the query that `queryDot` scores rows against. */
  setQuery(vector: ArrayLike<number>): void {
    this.queryScale = quantise(vector, this.codes, 0, this.dimension, this.unit);
  }

  /** Makes stored row `row` the query. */
  setQueryRow(row: number): void {
    this.codes.copyWithin(0, this.offset(row), this.offset(row) + this.stride);
    this.queryScale = this.scales[row]!;
  }

  /** The query's dot product with row `row`, both to 8 bits. */
  queryDot(row: number): number {
    return this.dotCodes(0, this.offset(row), this.stride) * this.queryScale * this.scales[row]!;
  }

  /** The dot product of two stored rows. */
  rowDot(a: number, b: number): number {
    return this.dotCodes(this.offset(a), this.offset(b), this.stride) * this.scales[a]! * this.scales[b]!;
  }

  /** `vector`'s dot product with row `row`: full precision on the query's side, for final scores. */
  exactDot(vector: ArrayLike<number>, row: number): number {
    const { codes, dimension } = this;
    let sum = 0;
    for (let i = 0, at = this.offset(row); i < dimension; i += 1, at += 1) sum += vector[i]! * codes[at]!;
    return sum * this.scales[row]!;
  }

  /** Row `row`'s values. */
  read(row: number): Float32Array {
    const { codes, dimension } = this;
    const scale = this.scales[row]!;
    const vector = new Float32Array(dimension);
    for (let i = 0, at = this.offset(row); i < dimension; i += 1, at += 1) vector[i] = codes[at]! * scale;
    return vector;
  }

  /** Rows 0..count−1 as `count` float32 scales, then `count × dimension` codes (no padding). */
  serialise(count: number): Buffer {
    const { dimension } = this;
    const bytes = Buffer.alloc(count * (4 + dimension));
    bytes.set(new Uint8Array(this.scales.buffer, 0, count * 4), 0);
    for (let row = 0; row < count; row += 1) {
      const at = this.offset(row);
      bytes.set(new Uint8Array(this.codes.buffer, at, dimension), count * 4 + row * dimension);
    }
    return bytes;
  }

  /** Rows `serialise` wrote, read from `source` straight into their WebAssembly memory, with room for `capacity` (at least `count`). */
  static async read(source: FileSource, dimension: number, count: number, capacity: number, unit = false): Promise<Int8Rows> {
    const needed = count * (4 + dimension);
    if (source.remaining !== needed) throw new Error(`${source.remaining} bytes of codes, ${count} rows need ${needed}`);
    const rows = new Int8Rows(dimension, Math.max(capacity, count, 1), unit);
    await source.readInto(new Uint8Array(rows.scales.buffer, 0, count * 4));
    const memory = new Uint8Array(rows.memory.buffer);
    if (rows.stride === dimension) {
      await source.readInto(memory.subarray(rows.offset(0), rows.offset(count)));
      return rows;
    }
    // Rows are padded in memory and not in the file: read a block of them, then place each.
    const block = new Uint8Array(Math.min(count, BLOCK_ROWS) * dimension);
    for (let first = 0; first < count; first += BLOCK_ROWS) {
      const rowsIn = Math.min(BLOCK_ROWS, count - first);
      await source.readInto(block.subarray(0, rowsIn * dimension));
      for (let row = 0; row < rowsIn; row += 1) memory.set(block.subarray(row * dimension, (row + 1) * dimension), rows.offset(first + row));
    }
    return rows;
  }

  /** Row `row` starts one row in: the query's scratch row comes first. */
  private offset(row: number): number {
    return (row + 1) * this.stride;
  }

  private pagesFor(capacity: number): number {
    const pages = Math.ceil(((capacity + 1) * this.stride) / PAGE_BYTES);
    if (pages > MAX_PAGES) throw new Error(`${capacity} rows of ${this.stride} bytes exceed WebAssembly's 4 GiB`);
    return Math.max(1, pages);
  }
}

/**
 * Writes `vector` as int8 codes at `codes[at…]` (its largest value to ±127) and returns the scale
 * that turns codes back into values: the vector's own, or (`unit`) the one giving norm 1.
 */
function quantise(vector: ArrayLike<number>, codes: Int8Array, at: number, dimension: number, unit: boolean): number {
  let largest = 0;
  for (let i = 0; i < dimension; i += 1) largest = Math.max(largest, Math.abs(vector[i]!));
  if (largest === 0) {
    codes.fill(0, at, at + dimension);
    return 0;
  }
  const scale = largest / 127;
  let squares = 0;
  for (let i = 0; i < dimension; i += 1) {
    const code = Math.round(vector[i]! / scale);
    codes[at + i] = code;
    squares += code * code;
  }
  return unit ? 1 / Math.sqrt(squares) : scale;
}
