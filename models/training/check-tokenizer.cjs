// Cross-checks the Python tokenizer against transformers.js on the parity fixture, so a format
// mistake in the hand-written tokenizer.json is caught here rather than in packages/inference.
// Run from packages/inference (where @huggingface/transformers resolves):
//   node ../../models/training/check-tokenizer.cjs <model folder name under models/>
const path = require('node:path');
const fs = require('node:fs');

async function main() {
  const modelsDir = path.resolve(__dirname, '..');
  const folder = process.argv[2] || 'vocab';
  // Resolved from the working directory: models/ has no node_modules of its own.
  const { AutoTokenizer, env } = require(require.resolve('@huggingface/transformers', { paths: [process.cwd()] }));
  env.allowRemoteModels = false;
  env.localModelPath = modelsDir + '/';
  const tokenizer = await AutoTokenizer.from_pretrained(folder);
  const cases = JSON.parse(fs.readFileSync(path.join(modelsDir, 'fixtures', 'tokenizer-parity.json'), 'utf8'));
  let failures = 0;
  for (const { text, ids } of cases) {
    // transformers.js 3.8 truncates after adding [CLS]/[SEP] and so drops the final [SEP]; the
    // models are trained with [SEP] always last, hence truncation by hand, as inference must do.
    let got = Array.from(tokenizer(text).input_ids.data, Number);
    if (got.length > 128) got = [...got.slice(0, 127), got[got.length - 1]];
    if (JSON.stringify(got) !== JSON.stringify(ids)) {
      failures += 1;
      console.log(`MISMATCH ${JSON.stringify(text).slice(0, 80)}\n  python ${JSON.stringify(ids)}\n  js     ${JSON.stringify(got)}`);
    }
  }
  console.log(`${cases.length - failures}/${cases.length} parity cases match transformers.js (${folder})`);
  process.exitCode = failures ? 1 : 0;
}

main().catch((err) => { console.error(err); process.exitCode = 2; });
