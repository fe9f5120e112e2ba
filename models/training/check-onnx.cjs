// Verifies an exported model folder with onnxruntime-node (the runtime packages/inference uses):
// both ONNX files load, fp32 matches the torch reference written by export.py, int8 agrees with
// fp32, and the latency of each. Run from packages/inference so onnxruntime-node resolves:
//   node ../../models/training/check-onnx.cjs /tmp/serendip-train/onnx-reference-<folder>.json [result.json]
const fs = require('node:fs');
const path = require('node:path');

function loadOrt() {
  const transformers = require.resolve('@huggingface/transformers', { paths: [process.cwd()] });
  return require(require.resolve('onnxruntime-node', { paths: [transformers] }));
}

function stats(a, b, rows) {
  let maxAbs = 0;
  for (let i = 0; i < a.length; i += 1) maxAbs = Math.max(maxAbs, Math.abs(a[i] - b[i]));
  const width = a.length / rows;
  let minCos = 1;
  for (let r = 0; r < rows; r += 1) {
    let dot = 0, na = 0, nb = 0;
    for (let i = r * width; i < (r + 1) * width; i += 1) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
    minCos = Math.min(minCos, dot / Math.sqrt(na * nb));
  }
  return { maxAbsDiff: maxAbs, minCosine: minCos };
}

function argmaxRows(a, rows) {
  const width = a.length / rows;
  const out = [];
  for (let r = 0; r < rows; r += 1) {
    let best = 0;
    for (let i = 1; i < width; i += 1) if (a[r * width + i] > a[r * width + best]) best = i;
    out.push(best);
  }
  return out;
}

// fp32 vs int8 on ~1000 labelled evaluation texts: label agreement and accuracy (sentiment) or
// the cosine between the pooled sentence vectors (embeddings).
async function compareOnSample(ort, ref) {
  const rows = ref.eval_input_ids;
  const order = rows.map((_, i) => i).sort((a, b) => rows[a].length - rows[b].length);
  const perFile = {};
  for (const file of ['model.onnx', 'model_quantized.onnx']) {
    const session = await ort.InferenceSession.create(path.join(ref.folder, 'onnx', file), { intraOpNumThreads: 2 });
    const out = new Array(rows.length);
    for (let start = 0; start < order.length; start += 32) {
      const idx = order.slice(start, start + 32);
      const width = Math.max(...idx.map((i) => rows[i].length));
      const ids = idx.map((i) => [...rows[i], ...new Array(width - rows[i].length).fill(0)]);
      const mask = idx.map((i) => ids[0].map((_, k) => (k < rows[i].length ? 1 : 0)));
      const t = (m) => new ort.Tensor('int64', BigInt64Array.from(m.flat(), BigInt), [m.length, width]);
      const res = (await session.run({ input_ids: t(ids), attention_mask: t(mask), token_type_ids: t(ids.map((r) => r.map(() => 0))) }))[ref.output];
      const data = res.data;
      idx.forEach((i, b) => {
        if (ref.output === 'logits') { out[i] = Array.from(data.slice(b * 3, b * 3 + 3)); return; }
        const hidden = res.dims[2];
        const v = new Float64Array(hidden);
        for (let s = 0; s < rows[i].length; s += 1) for (let h = 0; h < hidden; h += 1) v[h] += data[(b * width + s) * hidden + h];
        const norm = Math.sqrt(v.reduce((acc, x) => acc + x * x, 0));
        out[i] = Array.from(v, (x) => x / norm);
      });
    }
    perFile[file] = out;
    await session.release();
  }
  const [a, b] = [perFile['model.onnx'], perFile['model_quantized.onnx']];
  if (ref.output === 'logits') {
    const arg = (v) => v.indexOf(Math.max(...v));
    const labels = ref.eval_labels;
    const acc = (preds) => preds.filter((v, i) => arg(v) === labels[i]).length / labels.length;
    return { texts: rows.length, labelAgreement: a.filter((v, i) => arg(v) === arg(b[i])).length / rows.length,
      accuracyFp32: acc(a), accuracyInt8: acc(b) };
  }
  const cos = a.map((v, i) => v.reduce((acc, x, k) => acc + x * b[i][k], 0)).sort((x, y) => x - y);
  return { texts: rows.length, meanCosine: cos.reduce((s, x) => s + x, 0) / cos.length, minCosine: cos[0],
    p01Cosine: cos[Math.floor(cos.length * 0.01)] };
}

async function main() {
  const [refPath, resultPath] = process.argv.slice(2);
  const ort = loadOrt();
  const ref = JSON.parse(fs.readFileSync(refPath, 'utf8'));
  const [batch, seq] = [ref.input_ids.length, ref.input_ids[0].length];
  const tensor = (rows) => new ort.Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), [rows.length, rows[0].length]);
  const feeds = (ids, mask) => ({
    input_ids: tensor(ids), attention_mask: tensor(mask),
    token_type_ids: tensor(ids.map((r) => r.map(() => 0))),
  });
  const result = { folder: ref.folder, output: ref.output, batch, seq, runtime: `onnxruntime-node ${ort.env.versions?.common ?? ''}`.trim() };
  const outputs = {};
  for (const file of ['model.onnx', 'model_quantized.onnx']) {
    const session = await ort.InferenceSession.create(path.join(ref.folder, 'onnx', file), { intraOpNumThreads: 2 });
    const out = (await session.run(feeds(ref.input_ids, ref.attention_mask)))[ref.output];
    if (JSON.stringify(Array.from(out.dims)) !== JSON.stringify(ref.reference_dims)) {
      throw new Error(`${file}: output dims ${out.dims} != ${ref.reference_dims}`);
    }
    outputs[file] = out.data;
    // Latency: one short text (batch 1) and a batch of 8 mixed texts, median of repeated runs.
    const single = feeds([ref.input_ids[0].slice(0, ref.attention_mask[0].reduce((s, v) => s + v, 0))],
      [ref.attention_mask[0].slice(0, ref.attention_mask[0].reduce((s, v) => s + v, 0))]);
    const full = feeds(ref.input_ids, ref.attention_mask);
    const time = async (f, n) => {
      for (let i = 0; i < 3; i += 1) await session.run(f);
      const t = [];
      for (let i = 0; i < n; i += 1) { const s = process.hrtime.bigint(); await session.run(f); t.push(Number(process.hrtime.bigint() - s) / 1e6); }
      t.sort((x, y) => x - y);
      return Number(t[Math.floor(n / 2)].toFixed(2));
    };
    result[file] = {
      bytes: fs.statSync(path.join(ref.folder, 'onnx', file)).size,
      latencyMsBatch1: await time(single, 40),
      latencyMsBatch: await time(full, 20),
    };
    await session.release();
  }
  const reference = Float32Array.from(ref.reference);
  result.fp32VsTorch = stats(outputs['model.onnx'], reference, ref.output === 'logits' ? batch : batch * seq);
  result.int8VsFp32 = stats(outputs['model_quantized.onnx'], outputs['model.onnx'], ref.output === 'logits' ? batch : batch * seq);
  if (ref.output === 'logits') {
    const a = argmaxRows(outputs['model.onnx'], batch), b = argmaxRows(outputs['model_quantized.onnx'], batch);
    result.int8LabelAgreement = a.filter((x, i) => x === b[i]).length / batch;
  } else {
    // What packages/inference returns: mean-pooled, L2-normalised sentence vectors.
    const pool = (data) => {
      const hidden = ref.reference_dims[2];
      const rows = [];
      for (let b = 0; b < batch; b += 1) {
        const v = new Float64Array(hidden);
        let n = 0;
        for (let s = 0; s < seq; s += 1) {
          if (!ref.attention_mask[b][s]) continue;
          n += 1;
          for (let h = 0; h < hidden; h += 1) v[h] += data[(b * seq + s) * hidden + h];
        }
        const norm = Math.sqrt(v.reduce((acc, x) => acc + (x / n) ** 2, 0));
        rows.push(Array.from(v, (x) => x / n / norm));
      }
      return Float32Array.from(rows.flat());
    };
    result.int8VsFp32Pooled = stats(pool(outputs['model_quantized.onnx']), pool(outputs['model.onnx']), batch);
  }
  result.evalSample = await compareOnSample(ort, ref);
  console.log(JSON.stringify(result, null, 2));
  if (resultPath) fs.writeFileSync(resultPath, JSON.stringify(result, null, 2) + '\n');
  if (result.fp32VsTorch.maxAbsDiff > 1e-3) { console.error('fp32 ONNX does not match torch'); process.exitCode = 1; }
}

main().catch((err) => { console.error(err); process.exitCode = 2; });
