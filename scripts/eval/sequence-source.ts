/**
 * The sequence model as pnpm eval:topn reads it: @serendip/sequence's loader (files checked, the
 * file named on a problem) with two ONNX threads, since the evaluation has the machine to itself,
 * and its scoring of every item by the dot product with the query.
 */
import { loadSequenceModel as load, scoreItems, type SequenceModel } from '../../packages/sequence/src';

export type { SequenceModel };

export const loadSequenceModel = (dir: string): Promise<SequenceModel> => load(dir, { threads: 2 });

export const scoreSequence = scoreItems;
