import { CreateReview1764374400000 } from './1764374400000-create-review';
import { CreateReviewAnalysis1764720000000 } from './1764720000000-create-review-analysis';
import { ReviewInsights1764806400000 } from './1764806400000-review-insights';
import { ForgottenShopper1764892800200 } from './1764892800200-forgotten-shopper';
import { InterestUpdateRequests1765497600000 } from './1765497600000-interest-update-requests';
import { OutboxQueuedRuns1765584000000 } from './1765584000000-outbox-queued-runs';
import { ReviewTopicNone1765670400000 } from './1765670400000-review-topic-none';

export const migrations = [
  CreateReview1764374400000,
  CreateReviewAnalysis1764720000000,
  ReviewInsights1764806400000,
  ForgottenShopper1764892800200,
  InterestUpdateRequests1765497600000,
  OutboxQueuedRuns1765584000000,
  ReviewTopicNone1765670400000,
];
