import { AutoTokenizer, Tensor, type PreTrainedTokenizer } from '@huggingface/transformers';
import type { ResolvedModel } from './registry';

/** Model inputs for one batch; transformers.js adds zero `token_type_ids` where the model wants them. */
export interface EncodedBatch {
  input_ids: Tensor;
  attention_mask: Tensor;
}

/**
 * Token ids exactly as the Python tokenizer that trained the model makes them. transformers.js
 * 3.8 truncates after adding the special tokens and so cuts off the closing [SEP]; the models
 * were trained with the closing token always present, so truncation is done here instead: the
 * text's own tokens are cut, the template's prefix and suffix tokens are kept.
 */
export class TokenEncoder {
  private readonly prefixLength: number;
  private readonly suffixLength: number;

  constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    readonly maxLength: number,
  ) {
    // Where the text's own tokens sit inside the template, learned from a one-word probe.
    const probe = 'a';
    const bare = tokenizer.encode(probe, { add_special_tokens: false });
    const full = tokenizer.encode(probe);
    const start = full.findIndex((_, index) => bare.every((id, offset) => full[index + offset] === id));
    this.prefixLength = Math.max(start, 0);
    this.suffixLength = full.length - bare.length - this.prefixLength;
    if (maxLength <= this.prefixLength + this.suffixLength) {
      throw new Error(`model_max_length ${maxLength} leaves no room for text beside ${this.prefixLength + this.suffixLength} special tokens`);
    }
  }

  ids(text: string): number[] {
    const ids = this.tokenizer.encode(text);
    if (ids.length <= this.maxLength) return ids;
    const keep = this.maxLength - this.suffixLength;
    return [...ids.slice(0, keep), ...ids.slice(ids.length - this.suffixLength)];
  }

  /** Pads to the longest row of the batch, not to maxLength, so short batches stay cheap. */
  batch(rows: number[][]): EncodedBatch {
    const width = Math.max(...rows.map((row) => row.length));
    const inputIds = new BigInt64Array(rows.length * width).fill(BigInt(this.tokenizer.pad_token_id ?? 0));
    const attentionMask = new BigInt64Array(rows.length * width);
    rows.forEach((row, index) => {
      row.forEach((id, position) => {
        inputIds[index * width + position] = BigInt(id);
        attentionMask[index * width + position] = 1n;
      });
    });
    return {
      input_ids: new Tensor('int64', inputIds, [rows.length, width]),
      attention_mask: new Tensor('int64', attentionMask, [rows.length, width]),
    };
  }
}

export async function loadTokenEncoder(model: ResolvedModel): Promise<TokenEncoder> {
  return new TokenEncoder(await AutoTokenizer.from_pretrained(model.name), model.maxLength);
}

/** A float output tensor split into one row of `width` values per text. */
export function floatRows(tensor: Tensor, expectedRows: number, name: string): Float32Array[] {
  const { dims } = tensor;
  // `type`, not `instanceof`: arrays made by the native binding belong to another realm under jest.
  if (tensor.type !== 'float32' || dims.length !== 2 || dims[0] !== expectedRows) {
    throw new Error(`unexpected ${name} output: dims [${dims.join(', ')}], expected [${expectedRows}, n] float32`);
  }
  const data = tensor.data as Float32Array;
  const width = dims[1]!;
  return Array.from({ length: expectedRows }, (_, row) => data.subarray(row * width, (row + 1) * width));
}
