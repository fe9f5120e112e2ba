export * from './cooccurrence';
export * from './errors';
export * from './fusion';
export * from './interests';
export * from './mmr';
export * from './policy';
export * from './random';
export * from './vector';
