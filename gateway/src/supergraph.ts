import { readFileSync } from 'node:fs';
import { projectPath } from '@serendip/config';
import type { GatewayConfig } from './config';

/** The committed supergraph, composed from the subgraphs' SDL by `pnpm schema:write`. */
export const SUPERGRAPH_PATH = projectPath('gateway', 'supergraph.graphql');

/** Each subgraph's URL setting. */
export const SUBGRAPH_URLS = {
  user: 'USER_URL',
  catalogue: 'CATALOGUE_URL',
  recommendation: 'RECOMMENDATION_URL',
  feedback: 'FEEDBACK_URL',
} as const satisfies Record<string, keyof GatewayConfig>;

/**
 * Reads the supergraph and points each subgraph at its configured URL, so the committed file
 * (with development URLs) serves any deployment unchanged. A subgraph with several replicas gets
 * the first one's: the transport spreads the calls (`replicas.ts`).
 */
export function loadSupergraph(config: GatewayConfig, path = SUPERGRAPH_PATH): string {
  let sdl = readFileSync(path, 'utf8');
  for (const [name, key] of Object.entries(SUBGRAPH_URLS)) {
    const pattern = new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]*(")`);
    if (!pattern.test(sdl)) throw new Error(`supergraph has no subgraph named ${name}`);
    sdl = sdl.replace(pattern, `$1${config[key][0]}$2`);
  }
  return sdl;
}
