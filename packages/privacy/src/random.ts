// The generators live in @serendip/random; privacy callers get them from here with the mechanisms.
export { secureRng, seededRng, type Rng } from '@serendip/random';
