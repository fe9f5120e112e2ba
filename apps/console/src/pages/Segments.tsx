import { ConsoleAudienceDocument, ConsoleShopperSegmentsDocument } from '@serendip/client';
import { useState, type FormEvent } from 'react';
import { client } from '../api';
import { useQuery } from '@serendip/app-kit';
import { dateTime, decimal, field, percent } from '../hooks';
import { Figure } from '../ui';

export function Segments() {
  const { data, error } = useQuery(() => client.request(ConsoleShopperSegmentsDocument), []);
  const model = data?.shopperSegments;
  return (
    <>
      <section>
        <h1>Shopper segments</h1>
        {error && <p className="error">{error}</p>}
        {data && !model && <p className="muted">No segments yet: they appear after the first refit.</p>}
        {model && (
          <dl className="figures">
            <Figure name="Fitted" value={dateTime(model.fittedAt)} />
            <Figure name="Shoppers" value={String(model.shoppers)} />
            <Figure name="Segments (k)" value={String(model.k)} />
            <Figure name="Silhouette" value={decimal(model.silhouette, 2)} />
            <Figure name="Stability" value={decimal(model.stability, 2)} />
          </dl>
        )}
      </section>
      {model && (
        <ul className="cards segments">
          {model.segments.map((segment) => (
            <li key={segment.segment}>
              <h2>
                {segment.segment}. {segment.label}
              </h2>
              <p>{segment.summary}</p>
              <p className="muted">
                {segment.size} shoppers ({percent(segment.share)}) · conversion {percent(segment.conversion)} · {segment.eventsPerShopper.toFixed(1)} events and{' '}
                {segment.purchasesPerShopper.toFixed(2)} purchases per shopper · active at {segment.activeHours.map((hour) => `${hour}h`).join(', ')}
              </p>
              {segment.topCategories.length > 0 && (
                <p className="muted">Categories: {segment.topCategories.map((top) => `${top.category.name} ${percent(top.share, 0)}`).join(', ')}</p>
              )}
              {segment.topKeywords.length > 0 && <p className="muted">Keywords: {segment.topKeywords.join(', ')}</p>}
            </li>
          ))}
        </ul>
      )}
      <Audience />
    </>
  );
}

/** Who to target for a campaign about a text: the consenting shoppers most likely to respond, by segment. */
function Audience() {
  const [text, setText] = useState('');
  const audience = useQuery(async () => (text === '' ? null : (await client.request(ConsoleAudienceDocument, { text, limit: 100 })).audience), [text]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setText(field(new FormData(event.currentTarget), 'text'));
  };
  return (
    <section>
      <h2>Audience</h2>
      <form className="inline" onSubmit={submit}>
        <label>
          Campaign text
          <input name="text" required placeholder="e.g. running shoes" />
        </label>
        <button type="submit">Find audience</button>
      </form>
      {audience.error && <p className="error">{audience.error}</p>}
      {audience.data && (
        <>
          <p>
            {audience.data.target}: {audience.data.size} shoppers, about {audience.data.expectedReach.toFixed(1)} responders to expect.
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Segment</th>
                <th scope="col">In audience</th>
                <th scope="col">Index</th>
                <th scope="col">Response rate</th>
              </tr>
            </thead>
            <tbody>
              {audience.data.segments.map((segment) => (
                <tr key={segment.segment}>
                  <th scope="row">
                    {segment.segment}. {segment.label}
                  </th>
                  <td>
                    {segment.inAudience} of {segment.size}
                  </td>
                  <td>{segment.index.toFixed(0)}</td>
                  <td>{percent(segment.responseRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
