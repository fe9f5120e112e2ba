import {
  ForgetMeDocument,
  MyPageDocument,
  RemoveInterestDocument,
  UpdateConsentDocument,
  type EventType,
  type ForgetMeMutation,
  type MyPageQuery,
} from '@serendip/client';
import { useState } from 'react';
import { describeError, useQuery } from '@serendip/app-kit';
import { client } from '../api';

type Summary = NonNullable<NonNullable<MyPageQuery['me']>['behaviourSummary']>;

const percent = (share: number) => `${Math.round(share * 100)}%`;

const EVENT_NAMES: Record<EventType, [one: string, many: string]> = {
  VIEW: ['product view', 'product views'],
  SEARCH: ['search', 'searches'],
  CART: ['addition to the cart', 'additions to the cart'],
  PURCHASE: ['purchase', 'purchases'],
  CLICK: ['click', 'clicks'],
};
const counted = (count: number, type: EventType) => `${count} ${EVENT_NAMES[type][count === 1 ? 0 : 1]}`;
const when = (iso: string) => new Date(iso).toLocaleString('en');

/**
 * What the shop knows of the signed-in shopper and the controls over it: the interests it
 * recognised (each removable), what they were built from, consent to personalisation, and
 * forgetting everything.
 */
export function MePage({ onForgotten }: { onForgotten: (message: string) => void }) {
  const { data, error, reload } = useQuery<MyPageQuery>(() => client.request(MyPageDocument, { events: 10 }), []);
  const [actionError, setActionError] = useState<string | null>(null);
  // The box shows the shopper's choice at once; a refusal puts back what the shop has.
  const [choice, setChoice] = useState<boolean | null>(null);
  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      setActionError(null);
      reload();
    } catch (caught) {
      setChoice(null);
      setActionError(describeError(caught));
    }
  };
  if (error && !data) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">Loading…</p>;
  const { me } = data;
  // A token that expired or was revoked since the page was opened.
  if (!me) return <p>Sign in again to see what the shop knows about you.</p>;
  const summary = me.behaviourSummary;
  return (
    <>
      <section data-testid="me">
        <h1>{me.displayName}</h1>
        <p className="muted">{me.email}</p>
        {actionError && <p className="error">{actionError}</p>}
        <label>
          <input
            type="checkbox"
            checked={choice ?? me.consent.personalisation}
            onChange={(event) => {
              const personalisation = event.target.checked;
              setChoice(personalisation);
              void act(() => client.request(UpdateConsentDocument, { personalisation }));
            }}
          />{' '}
          Personalise recommendations from what I browse
        </label>
        <p className="muted">
          {(choice ?? me.consent.personalisation)
            ? 'Your behaviour shapes your recommendations.'
            : 'Your recommendations do not use your behaviour, and no interests are kept.'}{' '}
          Changed {when(me.consent.updatedAt)}.
        </p>
      </section>
      {summary && <Interests summary={summary} onRemove={(index) => void act(() => client.request(RemoveInterestDocument, { index }))} />}
      <section>
        <h2>Recent activity</h2>
        {(me.recentEvents ?? []).length === 0 && <p className="muted">Nothing yet.</p>}
        <ul data-testid="recent-events">
          {me.recentEvents?.map((event) => (
            <li key={event.id}>
              {event.type.toLowerCase()} {event.product ? <a href={`#/product/${event.product.id}`}>{event.product.title}</a> : `“${event.query ?? ''}”`}{' '}
              <span className="muted">{when(event.occurredAt)}</span>
            </li>
          ))}
        </ul>
      </section>
      <ForgetMe onForgotten={onForgotten} />
    </>
  );
}

function Interests({ summary, onRemove }: { summary: Summary; onRemove: (index: number) => void }) {
  const { signals } = summary;
  return (
    <section data-testid="interests">
      <h2>Your interests</h2>
      {summary.interests.length === 0 && (
        <p className="muted">{summary.personalisation ? 'None recognised yet: browse a little.' : 'None: personalisation is off.'}</p>
      )}
      <ul>
        {summary.interests.map((interest, index) => (
          <li key={interest.label}>
            <strong>{interest.label}</strong> <span className="muted">{percent(interest.weight)}</span>{' '}
            <button type="button" onClick={() => onRemove(index)} aria-label={`Remove interest ${interest.label}`}>
              Remove
            </button>
            <span className="reason">
              {interest.topCategories.map((top) => top.category.name).join(', ')}
              {interest.topKeywords.length > 0 && ` · ${interest.topKeywords.slice(0, 5).join(', ')}`} · from {interest.signals} signals
            </span>
          </li>
        ))}
      </ul>
      {summary.removedInterests.length > 0 && (
        <>
          <h3>Removed</h3>
          <ul data-testid="removed-interests">
            {summary.removedInterests.map((removed) => (
              <li key={`${removed.label}-${removed.removedAt}`}>
                {removed.label} <span className="muted">{when(removed.removedAt)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted">
        Built from {signals.events.map((entry) => counted(entry.count, entry.type)).join(', ') || 'no events'}
        {signals.passedOver > 0 ? `, and ${signals.passedOver} recommendations you passed over` : ''}
        {summary.profileUpdatedAt ? `; last updated ${when(summary.profileUpdatedAt)}` : ''}.
        {summary.segment ? ` You shop like: ${summary.segment.summary}.` : ''}
      </p>
    </section>
  );
}

const farewell = (result: ForgetMeMutation['forgetMe']) =>
  `You are forgotten: your account, ${result.events} events, ${result.reviews} reviews, ${result.interestProfiles} interest profiles and ${result.slates} logged recommendations are deleted.`;

function ForgetMe({ onForgotten }: { onForgotten: (message: string) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const forget = async () => {
    try {
      onForgotten(farewell((await client.request(ForgetMeDocument)).forgetMe));
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <section>
      <h2>Forget me</h2>
      <p className="muted">Deletes your account and everything the shop keeps about you. This cannot be undone.</p>
      {confirming ? (
        <p>
          <button type="button" className="danger" onClick={() => void forget()}>
            Yes, delete everything
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            Keep my account
          </button>
        </p>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          Forget me…
        </button>
      )}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
