import { runProcess } from '@serendip/federation';
import { startUserSubgraph } from './app';
import { loadUserConfig } from './config';

runProcess('user', loadUserConfig, startUserSubgraph);
