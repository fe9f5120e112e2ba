export * from './budget';
export * from './contributions';
export * from './errors';
export * from './mechanisms';
export * from './random';
