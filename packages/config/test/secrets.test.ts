import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commonEnv, ConfigError, gatewaySecretEnv, loadConfig, secret, secretNames, z } from '../src';

const schema = z.object({ ...commonEnv, ...gatewaySecretEnv, TOKEN_SECRET: secret() });
const PUBLISHED = ['serendip-development-gateway-secret', 'serendip-development-jwt-secret'];

let dir: string;
let keyFile: string;
const load = (env: NodeJS.ProcessEnv) => loadConfig('test', schema, env, { installationKeyFile: keyFile });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'serendip-secrets-'));
  keyFile = join(dir, '.run', 'installation-key');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The problems a refused config names, by variable. */
function problems(env: NodeJS.ProcessEnv): Record<string, string> {
  try {
    load(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return Object.fromEntries(error.problems.map((problem) => [problem.slice(0, problem.indexOf(':')), problem.slice(problem.indexOf(':') + 2)]));
  }
  throw new Error('expected a ConfigError');
}

describe('secrets', () => {
  it('are the settings declared with secret()', () => {
    expect(secretNames(schema).sort()).toEqual(['GATEWAY_SECRET', 'TOKEN_SECRET']);
  });

  it('outside production, are generated for the installation on first start: a key file of mode 0600', () => {
    const config = load({});
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(config.GATEWAY_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(config.TOKEN_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(config.TOKEN_SECRET).not.toBe(config.GATEWAY_SECRET);
    expect(load({ NODE_ENV: 'development' })).toMatchObject({ GATEWAY_SECRET: config.GATEWAY_SECRET, TOKEN_SECRET: config.TOKEN_SECRET });
  });

  it('are reused on the next start, and differ between installations', () => {
    const first = load({});
    const key = readFileSync(keyFile, 'utf8');
    expect(load({})).toMatchObject({ GATEWAY_SECRET: first.GATEWAY_SECRET, TOKEN_SECRET: first.TOKEN_SECRET });
    expect(readFileSync(keyFile, 'utf8')).toBe(key);

    const elsewhere = loadConfig('test', schema, {}, { installationKeyFile: join(dir, 'another-installation') });
    expect(elsewhere.GATEWAY_SECRET).not.toBe(first.GATEWAY_SECRET);
  });

  it('take the environment over the generated ones', () => {
    const generated = load({});
    const config = load({ TOKEN_SECRET: 't'.repeat(40) });
    expect(config.TOKEN_SECRET).toBe('t'.repeat(40));
    expect(config.GATEWAY_SECRET).toBe(generated.GATEWAY_SECRET);
  });

  it('generate nothing and touch no file when the environment sets them all', () => {
    expect(load({ GATEWAY_SECRET: 'g'.repeat(40), TOKEN_SECRET: 't'.repeat(40) })).toMatchObject({ GATEWAY_SECRET: 'g'.repeat(40) });
    expect(() => statSync(keyFile)).toThrow(/ENOENT/);
  });

  it('must be set in production and in tests, each named', () => {
    for (const NODE_ENV of ['production', 'test']) {
      const named = problems({ NODE_ENV });
      expect(Object.keys(named).sort()).toEqual(['GATEWAY_SECRET', 'TOKEN_SECRET']);
      expect(named.GATEWAY_SECRET).toMatch(/^not set: give it a long random value/);
      expect(load({ NODE_ENV, GATEWAY_SECRET: 'g'.repeat(40), TOKEN_SECRET: 't'.repeat(40) }).TOKEN_SECRET).toBe('t'.repeat(40));
    }
    expect(() => statSync(keyFile)).toThrow(/ENOENT/);
  });

  it("refuse the values once published in Serendip's source, in every mode", () => {
    for (const NODE_ENV of [undefined, 'development', 'production', 'test']) {
      for (const published of PUBLISHED) {
        const named = problems({ NODE_ENV, GATEWAY_SECRET: published, TOKEN_SECRET: 't'.repeat(40) });
        expect(named).toEqual({ GATEWAY_SECRET: expect.stringMatching(/development value published in Serendip's source, so anyone could sign with it/) });
      }
    }
  });

  it('refuse short values', () => {
    expect(problems({ GATEWAY_SECRET: 'short', TOKEN_SECRET: 't'.repeat(40) })).toEqual({ GATEWAY_SECRET: expect.stringMatching(/at least 16 characters/) });
  });

  it('refuse a key file other users can read, or one that is not a key', () => {
    load({});
    chmodSync(keyFile, 0o644);
    expect(problems({})['GATEWAY_SECRET, TOKEN_SECRET']).toMatch(/open to other users \(mode 644\), so its secrets may be known/);
    writeFileSync(keyFile, 'not a key\n', { mode: 0o600 });
    chmodSync(keyFile, 0o600);
    expect(problems({})['GATEWAY_SECRET, TOKEN_SECRET']).toMatch(/is not an installation key/);
  });

  it('agree between processes that start together on a fresh checkout', async () => {
    const script = `
      const { loadConfig, gatewaySecretEnv, z } = require(${JSON.stringify(join(__dirname, '../src'))});
      const schema = z.object(gatewaySecretEnv);
      process.stdout.write(loadConfig('p', schema, {}, { installationKeyFile: process.argv[1] }).GATEWAY_SECRET);`;
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '-e', script, keyFile], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exited with ${code}`))));
      });
    const secrets = await Promise.all([run(), run(), run(), run()]);
    expect(new Set(secrets).size).toBe(1);
    expect(secrets[0]).toMatch(/^[0-9a-f]{64}$/);
  }, 30_000);
});
