export * from './app';
export * from './config';
export * from './schema';
export * from './user/user.store';
