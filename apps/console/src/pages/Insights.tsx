import { ConsoleFeedbackInsightsDocument, type ConsoleFeedbackInsightsQuery } from '@serendip/client';
import { client } from '../api';
import { CategorySelect } from '../categories';
import { useHash, useQuery } from '@serendip/app-kit';
import { dateTime, decimal, parseLocation, percent } from '../hooks';
import { Figure } from '../ui';

type Insights = ConsoleFeedbackInsightsQuery['feedbackInsights'];
type Quote = Insights['summary']['aspects'][number]['examples'][number];

const POLARITIES = ['negative', 'neutral', 'positive'] as const;

/** A category's reviews distilled: what to fix (suggestions with their quotes), topics within each polarity, aspects. */
export function Insights() {
  const { params } = useHash(parseLocation);
  const categoryId = params.get('category') ?? '';
  return (
    <>
      <section>
        <h1>Review insights</h1>
        <CategorySelect label="Category" value={categoryId} onChange={(id) => (window.location.hash = id ? `#/insights?category=${id}` : '#/insights')} />
      </section>
      {categoryId && <CategoryInsights categoryId={categoryId} />}
    </>
  );
}

function CategoryInsights({ categoryId }: { categoryId: string }) {
  const { data, error } = useQuery(() => client.request(ConsoleFeedbackInsightsDocument, { categoryId }), [categoryId]);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">Loading…</p>;
  const insights = data.feedbackInsights;
  const { summary } = insights;
  return (
    <div data-testid="insights">
      <section>
        <h2>Summary</h2>
        <dl className="figures">
          <Figure name="Reviews summarised" value={String(insights.reviewsSummarised)} />
          <Figure
            name="Mean rating"
            value={summary.ratingAverage === null || summary.ratingAverage === undefined ? '–' : `${summary.ratingAverage.toFixed(2)} ★`}
          />
          <Figure name="Analysed" value={String(summary.analysedCount)} />
          <Figure name="Stars and text disagree" value={String(summary.flaggedCount)} />
          <Figure name="Positive" value={percent(summary.sentiment.positive)} />
          <Figure name="Negative" value={percent(summary.sentiment.negative)} />
        </dl>
        {summary.topKeywords.length > 0 && <p className="muted">Keywords: {summary.topKeywords.map((keyword) => keyword.term).join(', ')}</p>}
      </section>
      <section>
        <h2>Suggestions</h2>
        {summary.suggestions.length === 0 && <p className="muted">No complaint stands out significantly from the category's baseline.</p>}
        <ol className="cards">
          {summary.suggestions.map((suggestion) => (
            <li key={suggestion.text}>
              <strong>{suggestion.text}</strong>
              <p className="muted">
                {suggestion.complaints} of {suggestion.evidenceCount} reviews complain ({percent(suggestion.negativeShare)} against a baseline of{' '}
                {percent(suggestion.baselineShare)}, p = {suggestion.pValue.toExponential(1)}){suggestion.aspect ? ` · ${suggestion.aspect.toLowerCase()}` : ''}
              </p>
              <Quotes quotes={suggestion.examples} />
            </li>
          ))}
        </ol>
      </section>
      <section>
        <h2>Topics</h2>
        <p className="muted">
          Found within each polarity, so they are subjects rather than praise against complaint. Fitted {dateTime(insights.topicsFittedAt)}.
        </p>
        {insights.topics.length === 0 && <p className="muted">Too few analysed reviews to fit topics yet.</p>}
        <div className="columns">
          {POLARITIES.map((polarity) => {
            const topics = insights.topics.filter((topic) => topic.polarity === polarity);
            if (topics.length === 0) return null;
            return (
              <div key={polarity}>
                <h3 className={`sentiment-${polarity}`}>{polarity}</h3>
                <ul className="cards">
                  {topics.map((topic) => (
                    <li key={topic.topic}>
                      <strong>{topic.label}</strong>
                      <div className="muted">
                        {topic.size} reviews · coherence {decimal(topic.coherence, 2)}
                      </div>
                      <div className="muted">{topic.keywords.map((keyword) => keyword.term).join(', ')}</div>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </div>
      </section>
      <section>
        <h2>Aspects</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Aspect</th>
              <th scope="col">Reviews</th>
              <th scope="col">Score</th>
              <th scope="col">Negative</th>
              <th scope="col">Quoted</th>
            </tr>
          </thead>
          <tbody>
            {summary.aspects.map((aspect) => (
              <tr key={aspect.name}>
                <th scope="row">{aspect.name.toLowerCase().replace('_', ' / ')}</th>
                <td>{aspect.reviews}</td>
                <td className={aspect.score < 0 ? 'sentiment-negative' : 'sentiment-positive'}>{aspect.score.toFixed(2)}</td>
                <td>{percent(aspect.sentiment.negative)}</td>
                <td>
                  <Quotes quotes={aspect.examples.slice(0, 2)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {insights.mostCriticised.length > 0 && (
        <section>
          <h2>Most criticised products</h2>
          <ul>
            {insights.mostCriticised.map((product) => (
              <li key={product.productId}>
                Product {product.productId}: {percent(product.negativeShare)} negative of {product.reviews} reviews
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function Quotes({ quotes }: { quotes: readonly Quote[] }) {
  return (
    <>
      {quotes.map((quote) => (
        <blockquote key={`${quote.reviewId}-${quote.text}`} className={`sentiment-${quote.sentiment}`}>
          “{quote.text}”
        </blockquote>
      ))}
    </>
  );
}
