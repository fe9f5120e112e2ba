import { ConsoleJobQueuesDocument, ConsoleRetryFailedJobDocument } from '@serendip/client';
import { useEffect, useState } from 'react';
import { client } from '../api';
import { describeError, useQuery } from '@serendip/app-kit';
import { dateTime } from '../hooks';

/** How often the counts are read again while the page is open. */
const REFRESH_MS = 5000;

/** The worker's queues: jobs by state, and the failed ones with why, each retryable. */
export function Queues() {
  const queues = useQuery(() => client.request(ConsoleJobQueuesDocument), []);
  const [error, setError] = useState<string | null>(null);
  const { reload } = queues;
  useEffect(() => {
    const timer = window.setInterval(reload, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);
  const retry = async (queue: string, jobId: string) => {
    setError(null);
    try {
      await client.request(ConsoleRetryFailedJobDocument, { queue, jobId });
      reload();
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <>
      <section>
        <h1>Queues</h1>
        <p className="muted">The inference worker's BullMQ queues, read every {REFRESH_MS / 1000} s.</p>
        {queues.error && <p className="error">{queues.error}</p>}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="scroll">
          <table data-testid="queues">
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <th scope="col">Waiting</th>
                <th scope="col">Active</th>
                <th scope="col">Delayed</th>
                <th scope="col">Failed</th>
                <th scope="col">Completed (kept)</th>
              </tr>
            </thead>
            <tbody>
              {queues.data?.jobQueues.map((queue) => (
                <tr key={queue.name}>
                  <th scope="row">
                    {queue.name}
                    {queue.paused ? ' (paused)' : ''}
                  </th>
                  <td>{queue.waiting}</td>
                  <td>{queue.active}</td>
                  <td>{queue.delayed}</td>
                  <td className={queue.failed > 0 ? 'sentiment-negative' : undefined}>{queue.failed}</td>
                  <td>{queue.completed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section>
        <h2>Failed jobs</h2>
        {queues.data && queues.data.jobQueues.every((queue) => queue.failedJobs.length === 0) && <p className="muted">No failed jobs.</p>}
        <ul className="cards" data-testid="failed-jobs">
          {queues.data?.jobQueues.flatMap((queue) =>
            queue.failedJobs.map((job) => (
              <li key={`${queue.name}-${job.id}`}>
                <strong>
                  {queue.name} · {job.name} #{job.id}
                </strong>
                <p className="error">{job.failedReason}</p>
                <p className="muted">
                  attempts: {job.attemptsMade} · added {dateTime(job.addedAt)} · failed {dateTime(job.failedAt)}
                </p>
                <button type="button" onClick={() => void retry(queue.name, job.id)}>
                  Retry job {job.id}
                </button>
              </li>
            )),
          )}
        </ul>
      </section>
    </>
  );
}
