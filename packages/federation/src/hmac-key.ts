import { createSecretKey, type KeyObject } from 'node:crypto';

const keys = new Map<string, KeyObject>();

/**
 * The HS256 key of a configured secret, made once. Given a string, jsonwebtoken first tries it as
 * a PEM public or private key and builds the secret key only after that throws, on every sign and
 * verify: about a tenth of a subgraph's CPU per request. Secrets come from settings, so the map
 * holds a handful at most.
 */
export function hmacKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}
