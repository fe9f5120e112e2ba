import { ServiceClient } from '@serendip/federation';

export interface ForgottenElsewhere {
  events: number;
  interestProfiles: number;
  slates: number;
  reviews: number;
  jobs: number;
}

/**
 * The other subgraphs' service-only privacy mutations: consent is enforced by the recommendation
 * subgraph (and the worker, through its tables), and forgetting reaches every subgraph that holds
 * a shopper's data. Each call is idempotent, so a forgetMe that failed half-way is simply retried.
 */
export class PrivacyClients {
  private readonly recommendation: ServiceClient;
  private readonly feedback: ServiceClient;

  constructor(urls: { recommendation: string; feedback: string }, gatewaySecret: string) {
    this.recommendation = new ServiceClient({ caller: 'user', target: 'recommendation', url: urls.recommendation, gatewaySecret });
    this.feedback = new ServiceClient({ caller: 'user', target: 'feedback', url: urls.feedback, gatewaySecret });
  }

  async recordConsent(userId: string, personalisation: boolean): Promise<void> {
    await this.recommendation.call('mutation ($userId: ID!, $on: Boolean!) { recordConsent(userId: $userId, personalisation: $on) }', {
      userId,
      on: personalisation,
    });
  }

  async forget(userId: string): Promise<ForgottenElsewhere> {
    const { forgetShopper } = await this.recommendation.call<{ forgetShopper: Omit<ForgottenElsewhere, 'reviews'> }>(
      'mutation ($userId: ID!) { forgetShopper(userId: $userId) { events interestProfiles slates jobs } }',
      { userId },
    );
    const { forgetReviewer } = await this.feedback.call<{ forgetReviewer: { reviews: number; jobs: number } }>(
      'mutation ($userId: ID!) { forgetReviewer(userId: $userId) { reviews jobs } }',
      { userId },
    );
    return { ...forgetShopper, reviews: forgetReviewer.reviews, jobs: forgetShopper.jobs + forgetReviewer.jobs };
  }
}
