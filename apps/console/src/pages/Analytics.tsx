import { ConsoleAnalyticsDocument, ConsolePrivacyBudgetDocument, type ConsoleAnalyticsQueryVariables, type PrivacyMechanism } from '@serendip/client';
import { useState, type FormEvent } from 'react';
import { client } from '../api';
import { CategorySelect } from '../categories';
import { useQuery } from '@serendip/app-kit';
import { dateTime, decimal, field, percent } from '../hooks';
import { Figure } from '../ui';

const DAY_MS = 86_400_000;
/** The releases one run asks for (funnel, activity, sessions): a private run charges each its epsilon. */
const RELEASES = 3;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Behaviour analytics over a period. Exact figures are for the shop's own staff; a private run
 * releases noised figures that can be shared, each release charged to the analyst's budget, which
 * is shown beside them. A private run happens only when asked for, never on its own.
 */
export function Analytics() {
  const [categoryId, setCategoryId] = useState('');
  const [request, setRequest] = useState<ConsoleAnalyticsQueryVariables>(() => ({
    from: new Date(Date.now() - 30 * DAY_MS).toISOString(),
    to: new Date(Date.now() + DAY_MS).toISOString(),
  }));
  const [isPrivate, setPrivate] = useState(false);
  const analytics = useQuery(() => client.request(ConsoleAnalyticsDocument, request), [request]);
  // Read again once a run has answered: a private one has just been charged.
  const budget = useQuery(() => client.request(ConsolePrivacyBudgetDocument), [request, analytics.data !== null]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const privacy = isPrivate ? { epsilon: Number(field(form, 'epsilon')), mechanism: field(form, 'mechanism') as PrivacyMechanism } : null;
    setRequest({
      from: new Date(field(form, 'from')).toISOString(),
      // The day the merchant picks as "to" is included: the query's end is exclusive.
      to: new Date(new Date(field(form, 'to')).getTime() + DAY_MS).toISOString(),
      categoryId: categoryId || null,
      privacy,
    });
  };
  const allowance = budget.data?.privacyBudget;
  const funnel = analytics.data?.behaviourFunnel;
  const activity = analytics.data?.activityPatterns;
  const sessions = analytics.data?.sessionStatistics;
  const release = funnel?.privacy;
  const busiest = Math.max(1, ...(activity?.byHour.map((hour) => hour.events) ?? []));
  return (
    <>
      <section>
        <h1>Analytics</h1>
        <form className="wide" aria-label="analytics period" onSubmit={submit}>
          <div className="row">
            <label>
              From
              <input name="from" type="date" required defaultValue={isoDay(new Date(request.from))} />
            </label>
            <label>
              To
              <input name="to" type="date" required defaultValue={isoDay(new Date(Date.now()))} />
            </label>
            <CategorySelect label="Category" value={categoryId} onChange={setCategoryId} allowAll="Every category" />
          </div>
          <div className="row">
            <label className="check">
              <input type="checkbox" checked={isPrivate} onChange={(event) => setPrivate(event.target.checked)} />
              Differentially private release (for sharing)
            </label>
            {isPrivate && (
              <>
                <label>
                  Epsilon per release
                  <input name="epsilon" type="number" min={0.01} max={10} step={0.01} defaultValue={0.5} required />
                </label>
                <label>
                  Mechanism
                  <select name="mechanism" defaultValue="LAPLACE">
                    <option>LAPLACE</option>
                    <option>GAUSSIAN</option>
                  </select>
                </label>
                <span className="muted">This run charges {RELEASES} × epsilon to your budget.</span>
              </>
            )}
          </div>
          <button type="submit">Run</button>
        </form>
      </section>
      <section className="budget" aria-label="privacy budget" data-testid="privacy-budget">
        <h2>Privacy budget</h2>
        {budget.error && <p className="error">{budget.error}</p>}
        {allowance && (
          <dl className="figures">
            <Figure
              name="Your epsilon left"
              value={`${decimal(allowance.remaining, 2)} of ${decimal(allowance.total, 2)}`}
              tone={allowance.remaining <= 0 ? 'bad' : undefined}
            />
            <Figure name="Your delta left" value={allowance.remainingDelta.toExponential(1)} />
            <Figure name="Platform epsilon left" value={`${decimal(allowance.platform.remaining, 2)} of ${decimal(allowance.platform.total, 2)}`} />
            <Figure name="Platform period ends" value={dateTime(allowance.platform.periodEnd)} />
          </dl>
        )}
      </section>
      {analytics.error && <p className="error">{analytics.error}</p>}
      {analytics.data && (
        <>
          <section>
            <h2>Funnel {release ? `(private: ${release.mechanism}, ε = ${release.epsilon}, noise scale ${decimal(release.scale, 2)})` : '(exact)'}</h2>
            <table data-testid="funnel">
              <thead>
                <tr>
                  <th scope="col">Step</th>
                  <th scope="col">Events</th>
                  <th scope="col">Shoppers</th>
                  <th scope="col">Reached</th>
                  <th scope="col">From previous step</th>
                  <th scope="col">From view</th>
                </tr>
              </thead>
              <tbody>
                {funnel?.steps.map((step) => (
                  <tr key={step.type}>
                    <th scope="row">{step.type}</th>
                    <td>{step.events}</td>
                    <td>{step.shoppers}</td>
                    <td>{step.reached}</td>
                    <td>{percent(step.conversion)}</td>
                    <td>{percent(step.overallConversion)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section>
            <h2>Activity by hour (UTC)</h2>
            <div className="bars" role="img" aria-label={`Events by hour: ${activity?.byHour.map((hour) => `${hour.hour}h ${hour.events}`).join(', ')}`}>
              {activity?.byHour.map((hour) => (
                <div key={hour.hour} className="bar" title={`${hour.hour}:00 ${hour.events} events`}>
                  <span style={{ height: `${(Math.max(0, hour.events) / busiest) * 100}%` }} />
                  <small>{hour.hour}</small>
                </div>
              ))}
            </div>
            <p className="muted">By weekday: {activity?.byWeekday.map((day) => `${day.weekday.slice(0, 3).toLowerCase()} ${day.events}`).join(' · ')}</p>
          </section>
          <section>
            <h2>Sessions</h2>
            {sessions && (
              <dl className="figures">
                <Figure name="Sessions" value={String(sessions.sessions)} />
                <Figure name="Median events" value={decimal(sessions.medianEventsPerSession, 1)} />
                <Figure
                  name="Median duration"
                  value={
                    sessions.medianDurationSeconds === null || sessions.medianDurationSeconds === undefined
                      ? '–'
                      : `${Math.round(sessions.medianDurationSeconds)} s`
                  }
                />
                <Figure name="Bounce rate" value={percent(sessions.bounceRate)} />
                <Figure name="With a purchase" value={String(sessions.sessionsWithPurchase)} />
              </dl>
            )}
          </section>
        </>
      )}
    </>
  );
}
