import { testEnv } from '@serendip/testing';
import { loadCatalogueConfig } from '../src/config';

/** The catalogue reads the replicas' index snapshots, so it takes their settings with their rules. */
describe('the catalogue settings of index snapshots', () => {
  const env = testEnv();

  it('reads the snapshots from the folder or the bucket the replicas use', () => {
    expect(loadCatalogueConfig({ ...env, INDEX_SNAPSHOT_DIR: '/index-snapshots' }).INDEX_SNAPSHOT_DIR).toBe('/index-snapshots');
    expect(loadCatalogueConfig({ ...env, INDEX_SNAPSHOT_URL: 's3://snapshots/index', AWS_REGION: 'eu-west-1' }).INDEX_SNAPSHOT_URL).toEqual({
      bucket: 'snapshots',
      prefix: 'index',
    });
  });

  it('refuses a bucket without its region and a folder set beside a bucket, naming both', () => {
    expect(() => loadCatalogueConfig({ ...env, INDEX_SNAPSHOT_URL: 's3://snapshots/index', INDEX_SNAPSHOT_DIR: '/index-snapshots' })).toThrow(
      /INDEX_SNAPSHOT_URL: set together with INDEX_SNAPSHOT_DIR[\s\S]*AWS_REGION: required with INDEX_SNAPSHOT_URL/,
    );
  });
});
