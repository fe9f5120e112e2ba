import { ConsoleExperimentResultsDocument, ConsoleStopExperimentDocument, type ConsoleExperimentResultsQuery, type ExperimentMetric } from '@serendip/client';
import { useState } from 'react';
import { client } from '../api';
import { describeError, useQuery } from '@serendip/app-kit';
import { dateTime, decimal, pValue, percent } from '../hooks';
import { IntervalChart } from '../IntervalChart';
import { Figure } from '../ui';

type Results = ConsoleExperimentResultsQuery['experimentResults'];
type Arm = Results['arms'][number];
type Interval = Arm['ctr'];

const CONFIDENCES = [0.9, 0.95, 0.99] as const;

/** How each metric is read off an arm and written. */
const METRICS: Record<ExperimentMetric, { title: string; of: (arm: Arm) => Interval; format: (value: number) => string }> = {
  CTR: { title: 'Click-through rate', of: (arm) => arm.ctr, format: (value) => percent(value, 2) },
  CONVERSION: { title: 'Conversion', of: (arm) => arm.conversion, format: (value) => percent(value, 2) },
  REVENUE_PER_SHOPPER: { title: 'Revenue per shopper', of: (arm) => arm.revenuePerShopper, format: (value) => value.toFixed(2) },
};
const METRIC_ORDER: readonly ExperimentMetric[] = ['CTR', 'CONVERSION', 'REVENUE_PER_SHOPPER'];

export function ExperimentResults({ id }: { id: string }) {
  const [confidence, setConfidence] = useState<number>(0.95);
  const results = useQuery(() => client.request(ConsoleExperimentResultsDocument, { id, confidence }), [id, confidence]);
  const [error, setError] = useState<string | null>(null);
  if (results.error) return <p className="error">{results.error}</p>;
  if (!results.data) return <p className="muted">Loading…</p>;
  const data = results.data.experimentResults;
  const { experiment } = data;
  const stop = async () => {
    setError(null);
    try {
      await client.request(ConsoleStopExperimentDocument, { id });
      results.reload();
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <div data-testid="experiment-results">
      <section>
        <p>
          <a href="#/experiments">← Experiments</a>
        </p>
        <h1>{experiment.name}</h1>
        <p className="muted">
          <span className={`status status-${experiment.status.toLowerCase()}`}>{experiment.status}</span> · slot {experiment.slot} · {experiment.allocation}{' '}
          allocation · primary metric {experiment.primaryMetric}
          {experiment.targetSegment !== null && experiment.targetSegment !== undefined ? ` · segment ${experiment.targetSegment}` : ''} · started{' '}
          {dateTime(experiment.startedAt)}
          {experiment.stoppedAt ? ` · stopped ${dateTime(experiment.stoppedAt)}` : ''}
        </p>
        <p className="verdict" data-testid="verdict">
          {data.verdict}
          {data.winner ? ` Winner: ${data.winner.name}.` : ''}
        </p>
        <div className="toolbar">
          <label>
            Confidence
            <select value={confidence} onChange={(event) => setConfidence(Number(event.target.value))}>
              {CONFIDENCES.map((level) => (
                <option key={level} value={level}>
                  {percent(level, 0)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={results.reload}>
            Refresh
          </button>
          {experiment.status === 'RUNNING' && (
            <button type="button" className="danger" onClick={() => void stop()}>
              Stop experiment
            </button>
          )}
          <span className="muted">computed {dateTime(data.computedAt)}</span>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>
      <Health results={data} />
      <section>
        <h2>{METRICS[experiment.primaryMetric].title} by arm</h2>
        <IntervalChart
          title={`${METRICS[experiment.primaryMetric].title}, ${percent(data.confidence, 0)} intervals`}
          rows={data.arms.map((arm) => ({ label: arm.arm.name, ...METRICS[experiment.primaryMetric].of(arm) }))}
          format={METRICS[experiment.primaryMetric].format}
        />
      </section>
      <section>
        <h2>Arms</h2>
        <div className="scroll">
          <table data-testid="arms">
            <thead>
              <tr>
                <th scope="col">Arm</th>
                <th scope="col">Shoppers</th>
                <th scope="col">Slates</th>
                <th scope="col">Impressions</th>
                <th scope="col">Clicks</th>
                <th scope="col">Purchases</th>
                <th scope="col">Traffic</th>
                {METRIC_ORDER.map((metric) => (
                  <th scope="col" key={metric}>
                    {METRICS[metric].title} ({percent(data.confidence, 0)} interval)
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.arms.map((arm) => (
                <tr key={arm.arm.index}>
                  <th scope="row">
                    {arm.arm.name}
                    <div className="muted">
                      {arm.arm.index === 0 ? 'the control · ' : ''}
                      {arm.arm.policy.toLowerCase()} · exploration {arm.arm.exploration}
                    </div>
                  </th>
                  <td>{arm.shoppers}</td>
                  <td>{arm.slates}</td>
                  <td>{arm.impressions}</td>
                  <td>{arm.clicks}</td>
                  <td>{arm.purchases}</td>
                  <td>{percent(arm.trafficShare, 0)}</td>
                  {METRIC_ORDER.map((metric) => {
                    const interval = METRICS[metric].of(arm);
                    const comparison = arm.comparisons.find((candidate) => candidate.metric === metric);
                    const { format } = METRICS[metric];
                    return (
                      <td key={metric}>
                        {format(interval.value)}{' '}
                        <span className="muted">
                          [{format(interval.lower)}, {format(interval.upper)}]
                        </span>
                        {comparison && (
                          <div className={comparison.significant ? 'significant' : 'muted'}>
                            {comparison.difference >= 0 ? '+' : ''}
                            {format(comparison.difference)} vs control, adjusted p {pValue(comparison.adjustedPValue)}
                            {comparison.significant ? ' (significant)' : ''}
                          </div>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

/**
 * What decides whether the figures can be trusted at all, shown above them: the sample-ratio check
 * (a mismatch means assignment or logging is broken) and the guardrails each arm must not breach.
 */
function Health({ results }: { results: Results }) {
  const { sampleRatio } = results;
  const breaches = results.arms.flatMap((arm) =>
    arm.guardrails.filter((check) => check.breached).map((check) => `${arm.arm.name}: ${check.guardrail.toLowerCase()}`),
  );
  return (
    <section className="health" aria-label="health checks">
      <div className={sampleRatio?.mismatch ? 'alert bad' : 'alert good'} data-testid="srm">
        <strong>Sample ratio: </strong>
        {sampleRatio === null || sampleRatio === undefined
          ? 'not checked: ADAPTIVE allocation moves the split on purpose.'
          : sampleRatio.mismatch
            ? `MISMATCH (χ² = ${sampleRatio.chiSquare.toFixed(2)}, p = ${sampleRatio.pValue.toExponential(1)}): assignment or logging is broken; trust no result.`
            : `OK (χ² = ${sampleRatio.chiSquare.toFixed(2)}, p ${pValue(sampleRatio.pValue)}); observed ${sampleRatio.observed.join(' / ')} against expected ${sampleRatio.expected.map((value) => value.toFixed(1)).join(' / ')}.`}
      </div>
      <div className={breaches.length > 0 ? 'alert bad' : 'alert good'} data-testid="guardrails">
        <strong>Guardrails: </strong>
        {breaches.length > 0 ? `BREACHED by ${breaches.join(', ')}.` : 'none breached.'}
        <dl className="figures">
          {results.arms.flatMap((arm) =>
            arm.guardrails.map((check) => (
              <Figure
                key={`${arm.arm.index}-${check.guardrail}`}
                name={`${arm.arm.name} ${check.guardrail.toLowerCase()}`}
                value={check.value === null || check.value === undefined ? 'not measured' : `${decimal(check.value)} ± ${decimal(check.standardError)}`}
                tone={check.breached ? 'bad' : undefined}
              />
            )),
          )}
        </dl>
      </div>
    </section>
  );
}
