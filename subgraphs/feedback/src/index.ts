export * from './app';
export * from './config';
export * from './schema';
export { feedbackEntities, openFeedbackDataSource } from './data-source';
export { migrations } from './migrations';
export { ReviewStore, type ImportedReview } from './review/review.store';
export { ReviewAnalysisStore, type AnalysisResult } from './analysis/review-analysis.store';
export { AnalysisStatus } from './analysis/analysis-status';
export { WorkerReviews } from './analysis/worker-reviews';
