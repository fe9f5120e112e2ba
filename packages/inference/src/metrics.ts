/** Scores of a classifier on labelled rows; pure, so the evaluation script stays a thin shell. */
export interface ClassificationMetrics {
  n: number;
  /** Share of rows whose prediction equals the label, 0..1. */
  accuracy: number;
  /** Unweighted mean of the per-class F1 over `classes`, 0..1; a class never predicted nor present counts 0. */
  macroF1: number;
  /** Accuracy of always answering the most frequent label, the floor a model must clear. */
  majorityAccuracy: number;
  perClass: Record<string, { precision: number; recall: number; f1: number; support: number }>;
}

export function classificationMetrics<L extends string>(gold: L[], predicted: L[], classes: readonly L[]): ClassificationMetrics {
  if (gold.length !== predicted.length) throw new Error(`${gold.length} labels but ${predicted.length} predictions`);
  const n = gold.length;
  let correct = 0;
  const perClass: ClassificationMetrics['perClass'] = {};
  for (const label of classes) {
    let truePositive = 0;
    let predictedCount = 0;
    let support = 0;
    for (let i = 0; i < n; i += 1) {
      if (predicted[i] === label) predictedCount += 1;
      if (gold[i] === label) support += 1;
      if (predicted[i] === label && gold[i] === label) truePositive += 1;
    }
    const precision = predictedCount === 0 ? 0 : truePositive / predictedCount;
    const recall = support === 0 ? 0 : truePositive / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass[label] = { precision, recall, f1, support };
  }
  for (let i = 0; i < n; i += 1) if (gold[i] === predicted[i]) correct += 1;
  const majority = Math.max(0, ...classes.map((label) => perClass[label]!.support));
  return {
    n,
    accuracy: n === 0 ? 0 : correct / n,
    macroF1: classes.length === 0 ? 0 : classes.reduce((sum, label) => sum + perClass[label]!.f1, 0) / classes.length,
    majorityAccuracy: n === 0 ? 0 : majority / n,
    perClass,
  };
}
