import { CreateReview1764374400000 } from './1764374400000-create-review';

export const migrations = [CreateReview1764374400000];
