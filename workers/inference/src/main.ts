import { Probes, runProcess, startProbeServer } from '@serendip/federation';
import { startWorker } from './app';
import { loadWorkerConfig } from './config';
import { announceReady } from './pool';

runProcess('worker', loadWorkerConfig, async (config) => {
  // A lost inference thread cannot be restarted in this process: exit and let the supervisor start a new one.
  const worker = await startWorker(config, { onFatal: () => process.exit(70) });
  const probes = new Probes('worker', worker.readiness);
  const probeServer = config.WORKER_HEALTH_PORT > 0 ? await startProbeServer(probes, config.WORKER_HOST, config.WORKER_HEALTH_PORT, worker.metrics) : null;
  announceReady();
  return {
    url: probeServer?.url,
    async stop() {
      // Unready at once, so no orchestrator counts on this process while it finishes its jobs.
      probes.drain();
      await worker.stop();
      await probeServer?.stop();
    },
  };
});
