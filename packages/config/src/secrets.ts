import { createHmac, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { projectPath } from './project-root';

/**
 * Where an installation outside production keeps the random key its secrets are derived from:
 * `.run/` of the checkout, which git and the Docker build context leave out.
 */
export const DEFAULT_INSTALLATION_KEY_FILE = projectPath('.run', 'installation-key');

/**
 * Serendip's source once shipped development defaults with this prefix (`serendip-development-jwt-secret`,
 * `serendip-development-gateway-secret`). Anyone can sign tokens with a published value, so it is
 * refused in every mode, tests included.
 */
const PUBLISHED_PREFIX = 'serendip-development-';

const MISSING =
  'not set: give it a long random value (openssl rand -hex 32), the same in every process that reads it ' +
  '(outside production, NODE_ENV unset or development, one is generated for this installation instead)';

/** Fields declared with `secret()`, so `loadConfig` knows which settings to fill in and refuse. */
const secretFields = new WeakSet<z.ZodType>();

/**
 * A secret setting. It has no default anyone could read: outside production an unset secret is
 * derived from this installation's random key (see `withInstallationSecrets`); in production and
 * in tests it must be set. Published development values are refused everywhere.
 */
export function secret(): z.ZodString {
  const field = z
    .string({ error: (issue) => (issue.input === undefined ? MISSING : undefined) })
    .min(16, 'must be at least 16 characters: use a long random value (openssl rand -hex 32)')
    .refine(
      (value) => !value.startsWith(PUBLISHED_PREFIX),
      "is a development value published in Serendip's source, so anyone could sign with it: " +
        'unset it (outside production a random one is generated for this installation) or set a long random value',
    );
  secretFields.add(field);
  return field;
}

/** The settings of `schema` declared with `secret()`. */
export const secretNames = (schema: z.ZodObject): string[] =>
  Object.entries<z.ZodType>(schema.shape)
    .filter(([, field]) => secretFields.has(field))
    .map(([name]) => name);

/** A problem with the installation key file, worded for the operator. */
class KeyFileProblem extends Error {}

/**
 * Outside production and tests (NODE_ENV unset or `development`, as `npm start` runs), fills each
 * secret of `schema` that `env` leaves unset with one derived from the installation key in `keyFile`,
 * creating the key on first use. Every process of a checkout reads the same key, so they agree
 * on every secret with nothing to configure, and no two installations share one. Whatever `env`
 * sets wins. Production and tests get nothing: the schema names each missing secret.
 */
export function withInstallationSecrets(processName: string, schema: z.ZodObject, env: NodeJS.ProcessEnv, keyFile: string): NodeJS.ProcessEnv {
  if ((env.NODE_ENV ?? 'development') !== 'development') return env;
  // An empty value (`JWT_SECRET=` in an env file) counts as unset, as docker compose's `:?` does.
  const unset = secretNames(schema).filter((name) => !env[name]);
  if (unset.length === 0) return env;
  let key: Buffer;
  try {
    key = installationKey(keyFile);
  } catch (error) {
    if (error instanceof KeyFileProblem) throw new ConfigError(processName, [`${unset.join(', ')}: ${error.message}`]);
    throw error;
  }
  return { ...env, ...Object.fromEntries(unset.map((name) => [name, deriveSecret(key, name)])) };
}

/**
 * Each secret is an HMAC of its name under the key: secrets added later need no new file, and one
 * secret leaking reveals neither the key nor the others.
 */
const deriveSecret = (key: Buffer, name: string): string => createHmac('sha256', key).update(`serendip-secret:${name}`).digest('hex');

/** Reads the installation key, creating it (256 random bits, mode 0600) when there is none. */
function installationKey(file: string): Buffer {
  try {
    return readKey(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true });
  // Written in full under a name of its own, then linked into place: processes starting together
  // never read half a key, and the first link wins, so they all end up with the same one.
  const draft = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  writeFileSync(draft, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  return readKey(file);
}

function readKey(file: string): Buffer {
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KeyFileProblem(
      `${file} is open to other users (mode ${mode.toString(8)}), so its secrets may be known: delete it ` +
        '(a new key is made at the next start; everyone signs in again) or, if no one else could have read it, chmod 600 it',
    );
  }
  const key = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(key)) {
    throw new KeyFileProblem(`${file} is not an installation key (64 hex digits): delete it and a new one is made at the next start`);
  }
  return Buffer.from(key, 'hex');
}
