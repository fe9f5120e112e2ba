import { collapseRepeats, ServedVersions } from '../src';

/** A registry whose serving and pinned versions the test sets, and a loader that refuses the versions named in `broken`. */
function fixture() {
  const state = { current: null as string | null, pinned: [] as string[], broken: new Set<string>(), loads: [] as string[], released: [] as string[] };
  const messages: string[] = [];
  const serving = new ServedVersions<string>({
    wanted: async () => ({ serving: state.current, pinned: state.pinned }),
    load: async (version) => {
      state.loads.push(version);
      if (state.broken.has(version)) throw new Error(`${version}/sequence.onnx: does not load`);
      return `model ${version}`;
    },
    release: (model) => void state.released.push(model),
    intervalMs: 60_000,
    log: { info: (message) => messages.push(message), error: (message) => messages.push(message) },
  });
  return { state, messages, serving };
}

describe('ServedVersions', () => {
  it('swaps to each new serving version and releases the one it replaced', async () => {
    const { state, messages, serving } = fixture();
    await serving.refresh();
    expect(serving.get()).toBeNull();
    state.current = 'v1';
    await serving.refresh();
    expect(serving.get()).toEqual({ version: 'v1', model: 'model v1' });
    state.current = 'v2';
    await serving.refresh();
    expect(serving.get()).toEqual({ version: 'v2', model: 'model v2' });
    expect(messages).toEqual([
      expect.stringMatching(/^sequence model v1 serving, loaded in \d+ ms$/),
      expect.stringMatching(/^sequence model v2 serving, loaded in \d+ ms \(was v1\)$/),
    ]);
    expect(state.released).toEqual(['model v1']);
    await serving.refresh();
    expect(state.loads).toEqual(['v1', 'v2']);
  });

  it('keeps the previous version when a new one fails to load, and does not retry it', async () => {
    const { state, messages, serving } = fixture();
    state.current = 'v1';
    await serving.refresh();
    state.current = 'v2';
    state.broken.add('v2');
    await serving.refresh();
    await serving.refresh();
    expect(serving.get()?.version).toBe('v1');
    expect(state.loads).toEqual(['v1', 'v2']);
    expect(messages.at(-1)).toBe('sequence model v2 refused, v1 keeps serving: v2/sequence.onnx: does not load');
    state.current = 'v3';
    await serving.refresh();
    expect(serving.get()?.version).toBe('v3');
  });

  it('shares one registry read between concurrent refreshes and releases the model on stop', async () => {
    const { state, serving } = fixture();
    state.current = 'v1';
    await Promise.all([serving.refresh(), serving.refresh(), serving.refresh()]);
    expect(state.loads).toEqual(['v1']);
    await serving.stop();
    expect(serving.get()).toBeNull();
    expect(state.released).toEqual(['model v1']);
  });
});

describe('collapseRepeats', () => {
  it('counts a product repeated back to back once, and a return to it later again', () => {
    expect(collapseRepeats(['1', '1', '1', '2', '1', '3', '3'])).toEqual(['1', '2', '1', '3']);
    expect(collapseRepeats([])).toEqual([]);
  });
});
