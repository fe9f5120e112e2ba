import { AppError, ErrorCode } from '@serendip/federation';
import { DEFAULT_DELTA, gaussianSigma, laplaceScale, PrivacyError, releaseVector, type Mechanism, type ReleaseCost, type Rng } from '@serendip/privacy';
import { PrivacyMechanism, type PrivacyRelease } from './privacy.type';

/** A differentially private release as asked for, after checking it is one the mechanisms accept. */
export interface PrivacyRequest {
  mechanism: Mechanism;
  epsilon: number;
  /** Gaussian only; the package default applies when absent. */
  delta?: number;
}

/**
 * How far one shopper can move a group of counts: `l1` the L1 norm of the change their
 * contribution makes, `l2` its L2 norm.
 */
export interface GroupBounds {
  l1: number;
  l2: number;
}

export interface CountGroup extends GroupBounds {
  counts: readonly number[];
}

/** Groups are disjoint coordinates of one vector: their L1 bounds add up, their L2 bounds in quadrature. */
export function sensitivityOf(groups: readonly GroupBounds[], mechanism: Mechanism): number {
  return mechanism === 'laplace' ? groups.reduce((sum, group) => sum + group.l1, 0) : Math.hypot(...groups.map((group) => group.l2));
}

/**
 * Checks a request against the mechanism and bounds its delta by `maxDelta` (PRIVACY_MAX_DELTA),
 * turning the package's input errors into coded ones, and returns what the release costs. Run
 * before the budget is charged, so a request that is refused costs nothing.
 */
export function checkRequest(request: PrivacyRequest, sensitivity: number, maxDelta: number): ReleaseCost {
  try {
    if (request.mechanism === 'laplace') {
      if (request.delta !== undefined) throw new AppError(ErrorCode.BadUserInput, 'delta applies only to the GAUSSIAN mechanism', { field: 'privacy.delta' });
      laplaceScale(sensitivity, request.epsilon);
      return { epsilon: request.epsilon, delta: 0 };
    }
    const delta = request.delta ?? DEFAULT_DELTA;
    // The package accepts any delta below 1; one near 1 is no privacy at all.
    if (delta > maxDelta) {
      throw new AppError(ErrorCode.BadUserInput, `delta must be at most ${maxDelta}, got ${delta}`, { field: 'privacy.delta', max: maxDelta });
    }
    gaussianSigma(sensitivity, request.epsilon, delta);
    return { epsilon: request.epsilon, delta };
  } catch (error) {
    if (error instanceof PrivacyError) throw new AppError(ErrorCode.BadUserInput, error.message, { field: `privacy.${error.field ?? 'epsilon'}` });
    throw error;
  }
}

export interface Noised {
  /** Each group's counts with noise, rounded and floored at 0 (post-processing: no extra privacy cost). */
  groups: number[][];
  privacy: Omit<PrivacyRelease, 'budgetRemaining' | 'budgetRemainingDelta'>;
}

/** Noises every count of `groups` in one vector release at the sensitivity of the groups together. */
export function noiseCounts(groups: readonly CountGroup[], request: PrivacyRequest, rng: Rng): Noised {
  const sensitivity = sensitivityOf(groups, request.mechanism);
  const released = releaseVector(
    groups.flatMap((group) => group.counts),
    { mechanism: request.mechanism, epsilon: request.epsilon, sensitivity, ...(request.delta === undefined ? {} : { delta: request.delta }) },
    rng,
  );
  let offset = 0;
  const noised = groups.map((group) => {
    const values = released.values.slice(offset, offset + group.counts.length).map((value) => Math.max(0, Math.round(value)));
    offset += group.counts.length;
    return values;
  });
  return {
    groups: noised,
    privacy: {
      mechanism: released.mechanism === 'laplace' ? PrivacyMechanism.LAPLACE : PrivacyMechanism.GAUSSIAN,
      epsilon: released.epsilon,
      delta: released.delta,
      scale: released.scale,
      sensitivity,
    },
  };
}
