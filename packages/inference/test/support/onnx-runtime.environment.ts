/**
 * A jest environment for tests that run ONNX Runtime in-process. jest evaluates test code in a
 * separate realm, while onnxruntime-node creates its output arrays in the main one, so
 * onnxruntime-common's `data instanceof Float32Array` check refuses every model output
 * ("A float32 tensor's data must be type of function Float32Array()"). Sharing the main realm's
 * typed-array constructors makes both sides agree. Use with a docblock at the top of a test file:
 *   @jest-environment ./packages/inference/test/support/onnx-runtime.environment.ts
 */
type NodeEnvironmentClass = new (config: unknown, context: unknown) => { global: Record<string, unknown> };

// jest-config ships the node environment; resolving through it avoids relying on pnpm's hoisting.
const jestConfig = require.resolve('jest-config', { paths: [require.resolve('@jest/core', { paths: [require.resolve('jest')] })] });
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a jest environment module is loaded by path at run time
const { TestEnvironment } = require(require.resolve('jest-environment-node', { paths: [jestConfig] })) as {
  TestEnvironment: NodeEnvironmentClass;
};

const SHARED_CONSTRUCTORS = [
  'ArrayBuffer',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;

export default class OnnxRuntimeEnvironment extends TestEnvironment {
  constructor(config: unknown, context: unknown) {
    super(config, context);
    for (const name of SHARED_CONSTRUCTORS) this.global[name] = globalThis[name];
  }
}
