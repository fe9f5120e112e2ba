import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The merchant console builds to dist/, which `server/serve.ts` serves beside a proxy of /graphql
 * to the gateway, as the storefront is served. In `vite dev` the same proxy is Vite's, to the
 * gateway on GATEWAY_URL.
 */
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { port: 5174, proxy: { '/graphql': { target: gateway, ws: true } } },
});
