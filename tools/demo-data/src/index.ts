export * from './config';
export * from './import';
export * from './profile';
export type { ImportPlan } from './plan';
