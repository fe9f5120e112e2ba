// The workspace resolves modules node10-style, which ignores package.json "exports"; this names
// the file graphql-ws exports as `graphql-ws/use/ws` so its types are found.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
