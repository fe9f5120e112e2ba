import { metricValue } from '../src/prometheus';

const TEXT = [
  '# HELP serendip_jobs_total Jobs.',
  '# TYPE serendip_jobs_total counter',
  'serendip_jobs_total{queue="review-analysis",outcome="completed",service="worker"} 3',
  'serendip_jobs_total{service="worker",outcome="failed",queue="review-analysis"} 1',
  'serendip_jobs_total{queue="product-embedding",outcome="completed",service="worker"} 2',
  'serendip_jobs_total_extra 100',
  'serendip_index_size 0',
].join('\n');

describe('metricValue', () => {
  it('sums the samples whose labels include the given ones, in any order', () => {
    expect(metricValue(TEXT, 'serendip_jobs_total', { outcome: 'completed' })).toBe(5);
    expect(metricValue(TEXT, 'serendip_jobs_total', { queue: 'review-analysis', outcome: 'failed' })).toBe(1);
    expect(metricValue(TEXT, 'serendip_jobs_total')).toBe(6);
  });

  it('tells a missing series (NaN) from a zero one', () => {
    expect(metricValue(TEXT, 'serendip_index_size')).toBe(0);
    expect(metricValue(TEXT, 'serendip_jobs_total', { queue: 'interest-update' })).toBeNaN();
    expect(metricValue(TEXT, 'serendip_absent')).toBeNaN();
  });
});
