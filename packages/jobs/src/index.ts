export * from './names';
export * from './payloads';
export * from './queues';
export * from './producers';
export * from './topics';
export * from './vectors';
export * from './forget';
export * from './text-hash';
