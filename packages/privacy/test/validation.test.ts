import {
  PrivacyError,
  chargeable,
  clipContributions,
  overspent,
  gaussianSigma,
  laplaceScale,
  release,
  releaseVector,
  sampleGaussian,
  sampleLaplace,
  seededRng,
  type Mechanism,
} from '../src';

const rng = seededRng(1);

describe('bad input throws PrivacyError BAD_USER_INPUT naming the field', () => {
  it.each<[string, () => unknown, string]>([
    ['zero sensitivity', () => laplaceScale(0, 1), 'sensitivity'],
    ['infinite sensitivity', () => laplaceScale(Infinity, 1), 'sensitivity'],
    ['zero epsilon', () => laplaceScale(1, 0), 'epsilon'],
    ['negative epsilon', () => laplaceScale(1, -1), 'epsilon'],
    ['NaN epsilon', () => laplaceScale(1, NaN), 'epsilon'],
    ['infinite epsilon', () => laplaceScale(1, Infinity), 'epsilon'],
    ['gaussian epsilon above 1', () => gaussianSigma(1, 2, 1e-6), 'epsilon'],
    ['delta 0', () => gaussianSigma(1, 0.5, 0), 'delta'],
    ['delta 1', () => gaussianSigma(1, 0.5, 1), 'delta'],
    ['NaN delta', () => gaussianSigma(1, 0.5, NaN), 'delta'],
    ['negative sensitivity (gaussian)', () => gaussianSigma(-1, 0.5, 1e-6), 'sensitivity'],
    ['zero Laplace scale', () => sampleLaplace(0, rng), 'scale'],
    ['negative sigma', () => sampleGaussian(-1, rng), 'sigma'],
    ['NaN value', () => release(NaN, { mechanism: 'laplace', epsilon: 1, sensitivity: 1 }, rng), 'value'],
    ['delta with Laplace', () => release(1, { mechanism: 'laplace', epsilon: 1, sensitivity: 1, delta: 1e-6 }, rng), 'delta'],
    ['unknown mechanism', () => release(1, { mechanism: 'exponential' as unknown as Mechanism, epsilon: 1, sensitivity: 1 }, rng), 'mechanism'],
    ['gaussian release with epsilon 1.5', () => release(1, { mechanism: 'gaussian', epsilon: 1.5, sensitivity: 1 }, rng), 'epsilon'],
    ['non-finite vector entry', () => releaseVector([1, Infinity], { mechanism: 'laplace', epsilon: 1, sensitivity: 1 }, rng), 'values'],
    ['zero cap', () => clipContributions(new Map(), 0), 'maxPerUser'],
    ['negative count', () => clipContributions(new Map([['u', new Map([['k', -1]])]]), 1), 'perUser'],
    ['NaN count', () => clipContributions(new Map([['u', new Map([['k', NaN]])]]), 1), 'perUser'],
    ['negative total', () => chargeable({ total: -1, spent: 0 }, 0.1), 'total'],
    ['NaN spent', () => chargeable({ total: 1, spent: NaN }, 0.1), 'spent'],
    ['zero charge', () => chargeable({ total: 1, spent: 0 }, 0), 'epsilon'],
    ['negative delta charge', () => overspent({ epsilon: { total: 1, spent: 0 }, delta: { total: 1e-5, spent: 0 } }, { epsilon: 1, delta: -1e-6 }), 'delta'],
  ])('%s', (_, call, field) => {
    let thrown: unknown;
    try {
      call();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PrivacyError);
    expect(thrown).toMatchObject({ code: 'BAD_USER_INPUT', field, name: 'PrivacyError' });
  });

  it('names the offending vector index in the message', () => {
    expect(() => releaseVector([1, 2, NaN], { mechanism: 'laplace', epsilon: 1, sensitivity: 1 }, rng)).toThrow(/values\[2\]/);
  });
});

describe('PrivacyError', () => {
  it('carries the budget-exhausted code for callers that refuse a release', () => {
    const error = new PrivacyError('PRIVACY_BUDGET_EXHAUSTED', 'budget spent', 'epsilon');
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'PRIVACY_BUDGET_EXHAUSTED', field: 'epsilon', message: 'budget spent' });
  });
});
