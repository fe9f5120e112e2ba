import path from 'node:path';
import { ConfigError } from '@serendip/config';
import { DEFAULT_MODELS_DIR, loadInferenceConfig, parseSentimentLabels } from '../src';

describe('loadInferenceConfig', () => {
  it('defaults to the committed models in ONNX Runtime, on one CPU thread with int8 weights', () => {
    const config = loadInferenceConfig({});
    expect(config).toEqual({
      MODELS_DIR: path.resolve(__dirname, '../../../models'),
      EMBEDDING_MODEL: 'serendip-embed-zh-en',
      SENTIMENT_MODEL: 'serendip-sentiment-zh-en',
      INFERENCE_BACKEND: 'onnx',
      INFERENCE_PYTHON: '/usr/bin/python3',
      INFERENCE_DEVICE: 'cpu',
      INFERENCE_DTYPE: 'q8',
      INFERENCE_THREADS: 1,
    });
    expect(DEFAULT_MODELS_DIR).toBe(config.MODELS_DIR);
  });

  it('reads every setting and resolves a relative MODELS_DIR', () => {
    const config = loadInferenceConfig({
      MODELS_DIR: 'some/models',
      EMBEDDING_MODEL: 'Xenova/multilingual-e5-small',
      SENTIMENT_MODEL: 'Xenova/bert-base-multilingual-uncased-sentiment',
      INFERENCE_BACKEND: 'torch',
      INFERENCE_PYTHON: '/opt/torch-cu124/bin/python',
      INFERENCE_DEVICE: 'cuda',
      INFERENCE_DTYPE: 'fp32',
      INFERENCE_THREADS: '4',
      EMBEDDING_POOLING: 'cls',
      EMBEDDING_PREFIX: 'query: ',
      SENTIMENT_LABELS: '1 star=negative, 2 stars=negative,3 stars=neutral,4 stars=Positive,5 stars=positive',
    });
    expect(config).toEqual({
      MODELS_DIR: path.resolve('some/models'),
      EMBEDDING_MODEL: 'Xenova/multilingual-e5-small',
      SENTIMENT_MODEL: 'Xenova/bert-base-multilingual-uncased-sentiment',
      INFERENCE_BACKEND: 'torch',
      INFERENCE_PYTHON: '/opt/torch-cu124/bin/python',
      INFERENCE_DEVICE: 'cuda',
      INFERENCE_DTYPE: 'fp32',
      INFERENCE_THREADS: 4,
      EMBEDDING_POOLING: 'cls',
      EMBEDDING_PREFIX: 'query: ',
      SENTIMENT_LABELS: {
        '1 star': 'negative',
        '2 stars': 'negative',
        '3 stars': 'neutral',
        '4 stars': 'positive',
        '5 stars': 'positive',
      },
    });
  });

  it('names every bad variable at once', () => {
    try {
      loadInferenceConfig({
        INFERENCE_BACKEND: 'tensorrt',
        INFERENCE_PYTHON: '',
        INFERENCE_DEVICE: 'tpu',
        INFERENCE_DTYPE: 'q4',
        INFERENCE_THREADS: '0',
        EMBEDDING_POOLING: 'max',
        SENTIMENT_LABELS: 'LABEL_0=bad,LABEL_1',
      });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
        'EMBEDDING_POOLING',
        'INFERENCE_BACKEND',
        'INFERENCE_DEVICE',
        'INFERENCE_DTYPE',
        'INFERENCE_PYTHON',
        'INFERENCE_THREADS',
        'SENTIMENT_LABELS',
      ]);
      expect(problems.find((problem) => problem.startsWith('SENTIMENT_LABELS'))).toMatch(/"LABEL_0=bad".*"LABEL_1"/);
      expect(problems.find((problem) => problem.startsWith('INFERENCE_BACKEND'))).toMatch(/"onnx"\|"torch"/);
    }
  });
});

describe('parseSentimentLabels', () => {
  it('splits on the last "=" so label names may hold spaces', () => {
    expect(parseSentimentLabels('LABEL_0=negative,LABEL_1=positive')).toEqual({ LABEL_0: 'negative', LABEL_1: 'positive' });
    expect(parseSentimentLabels('very = bad=negative')).toEqual({ 'very = bad': 'negative' });
  });

  it('refuses an empty mapping', () => {
    expect(() => parseSentimentLabels(' , ')).toThrow('no label pairs given');
  });
});
