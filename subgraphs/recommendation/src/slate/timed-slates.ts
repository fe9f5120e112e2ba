import { boundedLabel, type ServiceMetrics } from '@serendip/federation';
import type { SlateRequest, SlateSource } from './slate-source';
import type { SlateStepObserver } from './slate-steps';

/** Who asked for a slate: a `recommendations` query, or a live push to a `recommendationsUpdated` subscriber. */
export type SlateCaller = 'query' | 'subscription';

/**
 * `slates` as each caller sees it, with `serendip_slate_duration_seconds{source,slot,policy,outcome}`
 * timing every slate computed: `source` is the caller, `policy` the policy that chose it
 * (name@version; `none` when the slate failed before one was known).
 */
export function timedSlates(slates: SlateSource, metrics: ServiceMetrics): Record<SlateCaller, SlateSource> {
  const duration = metrics.histogram({
    name: 'serendip_slate_duration_seconds',
    help: 'Time to compute and log one slate, by caller (query, subscription), slot, policy and outcome (ok, error).',
    labelNames: ['source', 'slot', 'policy', 'outcome'],
  });
  // Versions are bounded by deployments, but a slow drift of them should not grow the scrape forever.
  const policyLabel = boundedLabel(50);
  const timed = (source: SlateCaller): SlateSource => ({
    async slate(request: SlateRequest) {
      const end = duration.startTimer({ source, slot: request.slot });
      try {
        const slate = await slates.slate(request);
        end({ policy: policyLabel(slate.policy), outcome: 'ok' });
        return slate;
      } catch (error) {
        end({ policy: 'none', outcome: 'error' });
        throw error;
      }
    },
  });
  return { query: timed('query'), subscription: timed('subscription') };
}

/**
 * `serendip_slate_step_seconds{step}`: each step of every slate (SLATE_STEPS), so a profile of a
 * slate's cost is a scrape away (pnpm bench:recommend prints it as a breakdown).
 */
export function slateStepMetric(metrics: ServiceMetrics): SlateStepObserver {
  const steps = metrics.histogram({
    name: 'serendip_slate_step_seconds',
    help: 'Time of one step of a slate: signals, arm, candidate-queries, ann-search, fusion, policy, reasons, log, bandit, mapping.',
    labelNames: ['step'],
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  });
  return (step, seconds) => steps.observe({ step }, seconds);
}
