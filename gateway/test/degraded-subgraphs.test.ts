import type { ServerResponse } from 'node:http';
import { postGraphQL } from '@serendip/testing';
import { deadUrl, fakeSubgraph, json, withGateway as withTestGateway } from './support/harness';

const HEADERS = { 'x-serendip-csrf': '1' };

/** A development gateway (no trusted-document rule in the way) that retries quickly, its logged failures silenced. */
const withGateway = (settings: Record<string, string>, check: (url: string) => Promise<void>) =>
  withTestGateway({ NODE_ENV: 'development', SUBGRAPH_RETRY_DELAY_MS: '10', ...settings }, check, { quiet: true });

const UNAVAILABLE = { code: 'SERVICE_UNAVAILABLE' };

describe('a subgraph that is down costs its fields, not the page', () => {
  it('answers products with a null rating and reviews when the feedback subgraph does not answer', async () => {
    const catalogue = await fakeSubgraph((res) =>
      json(res, {
        data: {
          products: {
            nodes: [
              { __typename: 'Product', id: '1' },
              { __typename: 'Product', id: '2' },
            ],
          },
        },
      }),
    );
    try {
      await withGateway({ CATALOGUE_URL: catalogue.url, FEEDBACK_URL: await deadUrl() }, async (url) => {
        const response = await postGraphQL<{ products: { nodes: unknown[] } }>(
          url,
          '{ products { nodes { id ratingSummary { count } reviews { totalCount } feedbackSummary { ratingCount } } } }',
          {},
          HEADERS,
        );
        expect(response.data).toEqual({
          products: {
            nodes: [
              { id: '1', ratingSummary: null, reviews: null, feedbackSummary: null },
              { id: '2', ratingSummary: null, reviews: null, feedbackSummary: null },
            ],
          },
        });
        expect(response.errors?.length).toBeGreaterThan(0);
        for (const error of response.errors ?? []) expect(error.extensions).toEqual(UNAVAILABLE);
      });
    } finally {
      await catalogue.close();
    }
  });

  it("answers a shopper's page without their recommendations, events and reviews when those subgraphs do not answer", async () => {
    const user = await fakeSubgraph((res) => json(res, { data: { me: { __typename: 'User', id: '7', displayName: 'Ada' } } }));
    try {
      await withGateway({ USER_URL: user.url, RECOMMENDATION_URL: await deadUrl(), FEEDBACK_URL: await deadUrl() }, async (url) => {
        const response = await postGraphQL(
          url,
          '{ me { id displayName recommendations { score } recentEvents { type } behaviourSummary { personalisation } reviews { id } } }',
          {},
          HEADERS,
        );
        expect(response.data).toEqual({
          me: { id: '7', displayName: 'Ada', recommendations: null, recentEvents: null, behaviourSummary: null, reviews: null },
        });
        expect(response.errors?.length).toBeGreaterThan(0);
        for (const error of response.errors ?? []) expect(error.extensions).toEqual(UNAVAILABLE);
      });
    } finally {
      await user.close();
    }
  });
});

describe('upstream timeouts and retries', () => {
  it('gives up on a subgraph that does not answer within its timeout, with SERVICE_UNAVAILABLE', async () => {
    const hung: ServerResponse[] = [];
    const catalogue = await fakeSubgraph((res) => hung.push(res));
    try {
      await withGateway({ CATALOGUE_URL: catalogue.url, CATALOGUE_TIMEOUT_MS: '300', SUBGRAPH_RETRIES: '0' }, async (url) => {
        const response = await postGraphQL(url, '{ categories { id } }', {}, HEADERS);
        expect(response.data ?? null).toBeNull();
        expect(response.errors).toEqual([
          { message: 'A service this request needs is not answering; try again shortly', path: ['categories'], extensions: UNAVAILABLE },
        ]);
        expect(catalogue.received).toHaveLength(1);
      });
    } finally {
      for (const res of hung) res.destroy();
      await catalogue.close();
    }
  });

  it('sends a query again after a 503, and answers it', async () => {
    const user = await fakeSubgraph((res, _query, count) =>
      count === 1 ? json(res, { errors: [{ message: 'busy' }] }, 503) : json(res, { data: { me: { __typename: 'User', id: '7' } } }),
    );
    try {
      await withGateway({ USER_URL: user.url, SUBGRAPH_RETRIES: '1' }, async (url) => {
        const response = await postGraphQL(url, '{ me { id } }', {}, HEADERS);
        expect(response.errors).toBeUndefined();
        expect(response.data).toEqual({ me: { id: '7' } });
        expect(user.received).toHaveLength(2);
      });
    } finally {
      await user.close();
    }
  });

  it('never sends a mutation twice, even when the first attempt got a 503', async () => {
    const user = await fakeSubgraph((res) => json(res, { errors: [{ message: 'busy' }] }, 503));
    try {
      await withGateway({ USER_URL: user.url, SUBGRAPH_RETRIES: '3' }, async (url) => {
        const response = await postGraphQL(url, 'mutation { refreshSession(refreshToken: "r") { __typename } }', {}, HEADERS);
        expect(response.data ?? null).toBeNull();
        expect(response.errors?.length).toBeGreaterThan(0);
        expect(user.received).toHaveLength(1);
        expect(user.received[0]).toMatch(/^mutation/);
      });
    } finally {
      await user.close();
    }
  });
});
