import { runProcess } from '@serendip/federation';
import { startWorker } from './app';
import { loadWorkerConfig } from './config';
import { announceReady } from './pool';

runProcess('worker', async () => {
  // A lost inference thread cannot be restarted in this process: exit and let the supervisor start a new one.
  const worker = await startWorker(loadWorkerConfig(), { onFatal: () => process.exit(70) });
  announceReady();
  return worker;
});
