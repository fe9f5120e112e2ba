import { runProcess } from '@serendip/federation';
import { startGateway } from './app';
import { loadGatewayConfig } from './config';

runProcess('gateway', loadGatewayConfig, startGateway);
