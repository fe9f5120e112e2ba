import { seededRng, type Rng } from '@serendip/random';
import type { FileSource } from './file-source';
import { Int8Rows } from './int8-rows';

export interface HnswOptions {
  /** Links per node above level 0 (twice as many at level 0): more means better recall, more memory and slower inserts. @default 16 */
  m?: number;
  /** Candidate list size while inserting: more means a better graph and slower inserts. @default 100 */
  efConstruction?: number;
  /** Seed of the level draws, so a build is reproducible. @default 100 */
  seed?: number;
}

export interface HnswHit {
  label: number;
  /** The query's dot product with the label's stored vector. */
  score: number;
}

/** Guards `deserialise` against bytes of another layout. */
const GRAPH_MAGIC = 0x31_77_73_68; // "hsw1"
const HEADER_INTS = 6;
/** Levels are capped so a freak draw cannot make one node's link list absurdly tall. */
const MAX_LEVEL = 15;

/** A binary heap of (score, label) pairs on parallel arrays, reused between searches so a search allocates little. */
class Heap {
  private readonly scores: number[] = [];
  private readonly labels: number[] = [];

  /** `highest` true: the best score on top; false: the worst. */
  constructor(private readonly highest: boolean) {}

  get size(): number {
    return this.scores.length;
  }

  get topScore(): number {
    return this.scores[0]!;
  }

  get topLabel(): number {
    return this.labels[0]!;
  }

  clear(): void {
    this.scores.length = 0;
    this.labels.length = 0;
  }

  push(score: number, label: number): void {
    const { scores, labels } = this;
    let i = scores.length;
    scores.push(score);
    labels.push(label);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.above(score, scores[parent]!)) break;
      scores[i] = scores[parent]!;
      labels[i] = labels[parent]!;
      i = parent;
    }
    scores[i] = score;
    labels[i] = label;
  }

  pop(): void {
    const { scores, labels } = this;
    const score = scores.pop()!;
    const label = labels.pop()!;
    const size = scores.length;
    if (size === 0) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && this.above(scores[child + 1]!, scores[child]!)) child += 1;
      if (!this.above(scores[child]!, score)) break;
      scores[i] = scores[child]!;
      labels[i] = labels[child]!;
      i = child;
    }
    scores[i] = score;
    labels[i] = label;
  }

  private above(a: number, b: number): boolean {
    return this.highest ? a > b : a < b;
  }
}

/**
 * A hierarchical navigable small-world graph (Malkov and Yashunin, 2018) over int8 rows, scoring
 * by dot product: on unit vectors that is cosine similarity, on others maximum inner product.
 * The rows are the only copy of each vector, a quarter of float32's size, and a dot product of
 * two rows is one WebAssembly SIMD call, so the graph needs about 140 bytes of links a node on top
 * of its codes (`pnpm bench:index` measures the whole index against hnswlib's).
 *
 * Nodes are labels 0, 1, 2… in insertion order. A label whose vector changes is re-linked in
 * place: its own links are found afresh and offered to its new neighbours, and its former
 * neighbours choose theirs again, so nothing is ever deleted.
 */
export class Hnsw {
  readonly m: number;
  readonly efConstruction: number;
  /** Links at level 0. */
  private readonly m0: number;
  private readonly levelScale: number;
  private readonly random: Rng;
  private nodes = 0;
  private entry = -1;
  private topLevel = -1;
  /** Per node at level 0: a count, then up to m0 labels. */
  private links0: Int32Array;
  /** Per node above level 0 (only about one in m has any): for each level, a count and up to m labels. */
  private upper: (Int32Array | undefined)[] = [];
  private levels: Uint8Array;
  /** A node was visited by the current search when its stamp equals `visit`. */
  private visited: Uint32Array;
  private visit = 0;
  private readonly candidates = new Heap(true);
  private readonly found = new Heap(false);

  constructor(
    readonly rows: Int8Rows,
    options: HnswOptions = {},
  ) {
    this.m = options.m ?? 16;
    this.efConstruction = options.efConstruction ?? 100;
    this.m0 = 2 * this.m;
    this.levelScale = 1 / Math.log(this.m);
    this.random = seededRng(options.seed ?? 100);
    this.links0 = new Int32Array(rows.capacity * (this.m0 + 1));
    this.levels = new Uint8Array(rows.capacity);
    this.visited = new Uint32Array(rows.capacity);
  }

  get size(): number {
    return this.nodes;
  }

  /** Room for `capacity` nodes. */
  private reserve(capacity: number): void {
    if (capacity <= this.levels.length) return;
    this.rows.grow(capacity);
    const links0 = new Int32Array(capacity * (this.m0 + 1));
    links0.set(this.links0);
    this.links0 = links0;
    const levels = new Uint8Array(capacity);
    levels.set(this.levels);
    this.levels = levels;
    this.visited = new Uint32Array(capacity);
    this.visit = 0;
  }

  /** Stores `vector` as node `label`: the next label adds a node, an existing one is replaced and re-linked. */
  set(label: number, vector: ArrayLike<number>): void {
    if (label > this.nodes) throw new Error(`label ${label} skips past the next, ${this.nodes}`);
    // Doubling, so a graph filled one node at a time copies its arrays a logarithmic number of times.
    if (label >= this.levels.length) this.reserve(Math.max(label + 1, this.levels.length * 2));
    if (label < this.nodes) {
      const level = this.levels[label]!;
      const before = Array.from({ length: level + 1 }, (_, at) => this.neighbours(label, at));
      this.rows.write(label, vector);
      this.link(label, level);
      before.forEach((neighbours, at) => this.repair(neighbours, at));
      return;
    }
    this.rows.write(label, vector);
    const level = Math.min(MAX_LEVEL, Math.floor(-Math.log(1 - this.random()) * this.levelScale));
    this.levels[label] = level;
    if (level > 0) this.upper[label] = new Int32Array(level * (this.m + 1));
    this.nodes += 1;
    if (this.entry < 0) {
      this.entry = label;
      this.topLevel = level;
      return;
    }
    this.link(label, level);
    if (level > this.topLevel) {
      this.entry = label;
      this.topLevel = level;
    }
  }

  /**
   * The `k` nodes with the highest dot product with `query`, best first, among those `allowed`
   * passes (tested inside the search, so excluded nodes do not use up places). `ef` (at least k
   * is used) trades recall for speed. The walk scores with the query to 8 bits; the hits' scores
   * are then recomputed with the query at full precision and the hits re-ordered by them.
   */
  search(query: ArrayLike<number>, k: number, ef: number, allowed?: (label: number) => boolean): HnswHit[] {
    if (this.entry < 0 || k < 1) return [];
    this.rows.setQuery(query);
    const start = this.descend(this.entry, this.topLevel, 0);
    this.searchLevel(start, Math.max(ef, k), 0, allowed);
    const hits: HnswHit[] = [];
    const { found } = this;
    while (found.size > 0) {
      hits.push({ label: found.topLabel, score: this.rows.exactDot(query, found.topLabel) });
      found.pop();
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, k);
  }

  /** The graph's links and levels, for `deserialise` (the rows are saved by their own `serialise`). */
  serialise(): Buffer {
    const { nodes, m0 } = this;
    const upperInts = this.upper.slice(0, nodes).reduce((sum, links) => sum + (links?.length ?? 0), 0);
    const levelInts = Math.ceil(nodes / 4);
    const ints = new Int32Array(HEADER_INTS + levelInts + nodes * (m0 + 1) + upperInts);
    ints.set([GRAPH_MAGIC, nodes, this.m, this.efConstruction, this.entry, this.topLevel]);
    new Uint8Array(ints.buffer, HEADER_INTS * 4, nodes).set(this.levels.subarray(0, nodes));
    let at = HEADER_INTS + levelInts;
    ints.set(this.links0.subarray(0, nodes * (m0 + 1)), at);
    at += nodes * (m0 + 1);
    for (let label = 0; label < nodes; label += 1) {
      const links = this.upper[label];
      if (!links) continue;
      ints.set(links, at);
      at += links.length;
    }
    return Buffer.from(ints.buffer);
  }

  /**
   * The graph `serialise` wrote, read from `source` straight into the graph's own arrays, over
   * `rows` (which must hold its nodes). Throws when the bytes are not such a graph.
   */
  static async read(source: FileSource, rows: Int8Rows, options: Pick<HnswOptions, 'seed'> = {}): Promise<Hnsw> {
    if (source.remaining % 4 !== 0 || source.remaining < HEADER_INTS * 4) throw new Error('not a graph: too short or not whole 32-bit words');
    const header = new Int32Array(HEADER_INTS);
    await source.readInto(new Uint8Array(header.buffer));
    // The length check above makes the defaults unreachable; they only type the header as numbers.
    const [magic = 0, nodes = 0, m = 0, efConstruction = 0, entry = -1, topLevel = -1] = header;
    if (magic !== GRAPH_MAGIC) throw new Error('not a graph: wrong magic number');
    if (nodes < 0 || m < 2 || efConstruction < 1) throw new Error('not a graph: impossible settings in its header');
    if (nodes > rows.capacity) throw new Error(`the graph has ${nodes} nodes, the rows only ${rows.capacity}`);
    const graph = new Hnsw(rows, { m, efConstruction, seed: options.seed ?? 100 });
    const levelBytes = Math.ceil(nodes / 4) * 4;
    if (source.remaining < levelBytes) throw new Error('not a graph: levels cut short');
    await source.readInto(graph.levels.subarray(0, nodes));
    await source.skip(levelBytes - nodes);
    const linkInts = nodes * (graph.m0 + 1);
    if (source.remaining < linkInts * 4) throw new Error('not a graph: level-0 links cut short');
    await source.readInto(new Uint8Array(graph.links0.buffer, graph.links0.byteOffset, linkInts * 4));
    for (let label = 0; label < nodes; label += 1) {
      const level = graph.levels[label]!;
      if (level === 0) continue;
      const links = new Int32Array(level * (graph.m + 1));
      if (source.remaining < links.byteLength) throw new Error('not a graph: upper links cut short');
      await source.readInto(new Uint8Array(links.buffer));
      graph.upper[label] = links;
    }
    if (source.remaining !== 0) throw new Error('not a graph: bytes left over');
    if (nodes > 0 && (entry < 0 || entry >= nodes || topLevel !== graph.levels[entry])) throw new Error('not a graph: its entry point is not a top-level node');
    graph.nodes = nodes;
    graph.entry = entry;
    graph.topLevel = topLevel;
    // Every link must name a node: a bad one would read outside the rows while searching.
    for (let label = 0; label < nodes; label += 1) {
      for (let level = 0; level <= graph.levels[label]!; level += 1) {
        const links = graph.linksOf(label, level);
        const count = links[0]!;
        if (count < 0 || count >= links.length) throw new Error(`not a graph: node ${label} has ${count} links at level ${level}`);
        for (let i = 1; i <= count; i += 1) if (links[i]! < 0 || links[i]! >= nodes) throw new Error(`not a graph: node ${label} links to ${links[i]}`);
      }
    }
    return graph;
  }

  /** Node `label`'s links at `level`: a count, then the labels. */
  private linksOf(label: number, level: number): Int32Array {
    if (level === 0) return this.links0.subarray(label * (this.m0 + 1), (label + 1) * (this.m0 + 1));
    return this.upper[label]!.subarray((level - 1) * (this.m + 1), level * (this.m + 1));
  }

  /** Greedy walk from `start` through levels `from` down to just above `to`, towards the query; returns where it ends. */
  private descend(start: number, from: number, to: number): number {
    let current = start;
    let best = this.rows.queryDot(current);
    for (let level = from; level > to; level -= 1) {
      for (let moved = true; moved;) {
        moved = false;
        const links = this.linksOf(current, level);
        for (let i = 1, count = links[0]!; i <= count; i += 1) {
          const score = this.rows.queryDot(links[i]!);
          if (score > best) {
            best = score;
            current = links[i]!;
            moved = true;
          }
        }
      }
    }
    return current;
  }

  /** The best-first search of one level from `start`: leaves up to `ef` nodes (those `allowed`) in `found`, worst on top. */
  private searchLevel(start: number, ef: number, level: number, allowed?: (label: number) => boolean): void {
    const { candidates, found, visited, rows } = this;
    candidates.clear();
    found.clear();
    const visit = this.nextVisit();
    visited[start] = visit;
    const first = rows.queryDot(start);
    candidates.push(first, start);
    if (!allowed || allowed(start)) found.push(first, start);
    while (candidates.size > 0) {
      const score = candidates.topScore;
      if (found.size >= ef && score < found.topScore) break;
      const links = this.linksOf(candidates.topLabel, level);
      candidates.pop();
      for (let i = 1, count = links[0]!; i <= count; i += 1) {
        const next = links[i]!;
        if (visited[next] === visit) continue;
        visited[next] = visit;
        const nextScore = rows.queryDot(next);
        if (found.size >= ef && nextScore <= found.topScore) continue;
        candidates.push(nextScore, next);
        if (allowed && !allowed(next)) continue;
        found.push(nextScore, next);
        if (found.size > ef) found.pop();
      }
    }
  }

  /**
   * Finds `label`'s neighbours at each of its levels (up to the graph's top) and links both ways.
   * A re-linked node's old links still serve as paths; the walks leave the node itself out.
   */
  private link(label: number, level: number): void {
    if (this.nodes < 2) return;
    this.rows.setQueryRow(label);
    const others = (other: number) => other !== label;
    let start = this.descend(this.entry, this.topLevel, level);
    for (let at = Math.min(level, this.topLevel); at >= 0; at -= 1) {
      this.searchLevel(start, this.efConstruction, at, others);
      const near: HnswHit[] = [];
      for (const { found } = this; found.size > 0; found.pop()) near.push({ label: found.topLabel, score: found.topScore });
      if (near.length === 0) continue;
      near.reverse();
      const chosen = this.diverse(near, at === 0 ? this.m0 : this.m);
      this.setLinks(label, at, chosen);
      for (const neighbour of chosen) this.offer(neighbour, label, at);
      start = near[0]!.label;
    }
  }

  /**
   * After a node changed its vector: its `former` neighbours at `level` choose their links afresh
   * among their own and each other, so the region it left stays as well connected as before
   * (hnswlib repairs an updated point's neighbourhood the same way).
   */
  private repair(former: readonly number[], level: number): void {
    for (const node of former) {
      const candidates = new Set([...this.neighbours(node, level), ...former]);
      candidates.delete(node);
      const near = [...candidates].map((label) => ({ label, score: this.rows.rowDot(node, label) })).sort((a, b) => b.score - a.score);
      this.setLinks(node, level, this.diverse(near, level === 0 ? this.m0 : this.m));
    }
  }

  /** Node `label`'s links at `level`, copied out. */
  private neighbours(label: number, level: number): number[] {
    const links = this.linksOf(label, level);
    return Array.from(links.subarray(1, 1 + links[0]!));
  }

  /**
   * Up to `limit` of `near` (best first) that are not closer to an already chosen neighbour than
   * to the node itself: the HNSW paper's heuristic, which keeps links pointing in different
   * directions so the graph stays navigable between clusters.
   */
  private diverse(near: readonly HnswHit[], limit: number): number[] {
    const chosen: number[] = [];
    for (const candidate of near) {
      if (chosen.length >= limit) break;
      if (chosen.every((kept) => this.rows.rowDot(candidate.label, kept) <= candidate.score)) chosen.push(candidate.label);
    }
    return chosen;
  }

  /** Adds a link from `node` to `other` at `level`, re-choosing `node`'s links by the heuristic when it has no room left. */
  private offer(node: number, other: number, level: number): void {
    const links = this.linksOf(node, level);
    const count = links[0]!;
    for (let i = 1; i <= count; i += 1) if (links[i] === other) return;
    const limit = level === 0 ? this.m0 : this.m;
    if (count < limit) {
      links[count + 1] = other;
      links[0] = count + 1;
      return;
    }
    const near: HnswHit[] = [{ label: other, score: this.rows.rowDot(node, other) }];
    for (let i = 1; i <= count; i += 1) near.push({ label: links[i]!, score: this.rows.rowDot(node, links[i]!) });
    near.sort((a, b) => b.score - a.score);
    this.setLinks(node, level, this.diverse(near, limit));
  }

  private setLinks(node: number, level: number, chosen: readonly number[]): void {
    const links = this.linksOf(node, level);
    links[0] = chosen.length;
    links.set(chosen, 1);
  }

  private nextVisit(): number {
    this.visit += 1;
    if (this.visit === 0xffffffff) {
      this.visited.fill(0);
      this.visit = 1;
    }
    return this.visit;
  }
}
