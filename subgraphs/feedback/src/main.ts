import { runProcess } from '@serendip/federation';
import { startFeedbackSubgraph } from './app';
import { loadFeedbackConfig } from './config';

runProcess('feedback', loadFeedbackConfig, startFeedbackSubgraph);
