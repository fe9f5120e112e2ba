import type { S3Client } from '@aws-sdk/client-s3';
import { ScratchS3 } from '@serendip/testing';
import { snapshotS3Client } from '../../src';

/** Filled in before the file's tests run. */
export interface ScratchS3Fixture {
  s3: ScratchS3;
  client: S3Client;
}

/**
 * An s3rver of the test file's own, with bucket `snapshots`, started before its tests and stopped
 * after them, and a client of it. The SDK reads credentials from the environment, as it does in a
 * deployment, so they are set for the file's tests and the environment is put back after.
 */
export function useScratchS3(): ScratchS3Fixture {
  const fixture = {} as ScratchS3Fixture;
  const environment = { ...process.env };
  beforeAll(async () => {
    fixture.s3 = await ScratchS3.start('snapshots');
    Object.assign(process.env, ScratchS3.credentials);
    fixture.client = snapshotS3Client({ region: ScratchS3.region, endpoint: fixture.s3.endpoint });
  });
  afterAll(async () => {
    fixture.client.destroy();
    process.env = environment;
    await fixture.s3.stop();
  });
  return fixture;
}
