import { commonEnv, ConfigError, loadConfig, secret, z } from '../src';

const schema = z.object({ ...commonEnv, PORT: z.coerce.number().int().positive().default(4000) });

describe('loadConfig', () => {
  it('gives defaults that work on a fresh machine', () => {
    const config = loadConfig('test', schema, {});
    expect(config).toMatchObject({ MYSQL_HOST: '127.0.0.1', MYSQL_PORT: 3306, REDIS_URL: 'redis://127.0.0.1:6379', PORT: 4000, NODE_ENV: 'development' });
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig('test', z.object({ ...schema.shape, TOKEN_SECRET: secret() }), {
        NODE_ENV: 'production',
        MYSQL_PORT: 'three',
        PORT: '-1',
        REDIS_URL: 'not a url',
      });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.map((problem) => problem.split(':')[0]);
      expect(problems.sort()).toEqual(['MYSQL_PORT', 'PORT', 'REDIS_URL', 'TOKEN_SECRET']);
    }
  });
});
