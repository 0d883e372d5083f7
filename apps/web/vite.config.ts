import { defineConfig } from 'vite';

/**
 * A static site: `pnpm web:build` writes apps/web/dist, which any static file
 * server can serve (relative paths, so a sub-folder works too). The workspace's
 * packages are bundled from their TypeScript sources through their `browser`
 * entry points (the `@caddm/source` condition), so no `pnpm build` is needed first.
 */
export default defineConfig({
  base: './',
  resolve: { conditions: ['@caddm/source', 'browser', 'module', 'import', 'default'] },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096 },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
