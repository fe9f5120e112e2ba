import { registerEnumType } from 'type-graphql';

export enum AnalysisStatus {
  PENDING = 'PENDING',
  DONE = 'DONE',
  FAILED = 'FAILED',
}

registerEnumType(AnalysisStatus, {
  name: 'AnalysisStatus',
  description: 'Where the worker is with a review.',
  valuesConfig: {
    PENDING: { description: 'Queued (or being retried).' },
    DONE: { description: 'Analysed.' },
    FAILED: { description: 'Every attempt failed; the review is stored and shown, unanalysed.' },
  },
});
