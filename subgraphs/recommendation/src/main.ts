import { runProcess } from '@serendip/federation';
import { startRecommendationSubgraph } from './app';
import { loadRecommendationConfig } from './config';

runProcess('recommendation', loadRecommendationConfig, startRecommendationSubgraph);
