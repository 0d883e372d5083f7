import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The bare package specifiers (`@caddm/image`, `ndarray`, ...) that a
 * module and every module it reaches through relative imports import, read
 * from the TypeScript sources (`import ... from`, `export ... from`,
 * `import(...)`; type-only imports are left out, as they vanish at run time).
 * For tests that a package's entry point stays light, e.g. needs no tfjs.
 */
export function runtimeImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    const specs = [
      ...src.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm),
      ...src.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map((m) => m[1]);
    for (const s of specs) {
      if (!s.startsWith('.')) {
        bare.add(s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]);
        continue;
      }
      const base = resolve(dirname(file), s);
      const ts = [base.replace(/\.js$/, '.ts'), join(base, 'index.ts'), `${base}.ts`].find((p) => existsSync(p));
      if (ts) visit(ts);
    }
  };
  visit(resolve(entry));
  return bare;
}

/**
 * Every package a workspace package installs with it: its `dependencies`,
 * and theirs, following `@caddm/*` packages through the workspace's
 * `packages/<name>` folders (others are listed, not followed). Dev and
 * optional peer dependencies are not installed by a user, so they are left out.
 */
export function installedWith(packageDir: string): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string): void => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(pkg.dependencies ?? {})) {
      if (out.has(name)) continue;
      out.add(name);
      if (name.startsWith('@caddm/')) walk(join(dir, '..', name.slice('@caddm/'.length)));
    }
  };
  walk(resolve(packageDir));
  return out;
}
