import { fileURLToPath } from 'node:url';
import { build, type Message } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** What the web app bundles: the packages it imports and those they import. */
const BROWSER_ENTRIES = [
  '@caddm/image',
  '@caddm/simd',
  '@caddm/face',
  '@caddm/anchors',
  '@caddm/tf',
  '@caddm/wasm-train',
  '@caddm/backbones',
  '@caddm/adm',
  '@caddm/face-detect',
  '@caddm/trainer/web',
] as const;

const APP = fileURLToPath(new URL('..', import.meta.url));

/** Bundles `export * from '<entry>'` for the browser as Vite does (the `browser` condition, from sources). */
async function bundleForBrowser(entry: string): Promise<{ errors: Message[]; inputs: string[] }> {
  try {
    const r = await build({
      stdin: { contents: `export * from '${entry}';`, resolveDir: APP, loader: 'ts' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      conditions: ['@caddm/source'],
      write: false,
      metafile: true,
      logLevel: 'silent',
      // Large vendored modules need not be parsed again for every entry.
      external: ['@tensorflow/*', '@vladmandic/face-api/*'],
    });
    return { errors: r.errors, inputs: Object.keys(r.metafile.inputs) };
  } catch (e) {
    return { errors: (e as { errors?: Message[] }).errors ?? [{ text: String(e) } as Message], inputs: [] };
  }
}

/** A Node built-in named in an esbuild error ("Could not resolve "node:fs"", or a bare "fs"). */
function builtinsIn(errors: readonly Message[]): string[] {
  return errors.map((m) => `${m.location?.file ?? '?'}: ${m.text}`);
}

describe('browser entry points', () => {
  for (const entry of BROWSER_ENTRIES) {
    it(`${entry} bundles for the browser without a Node built-in`, async () => {
      const { errors, inputs } = await bundleForBrowser(entry);
      expect(builtinsIn(errors)).toEqual([]);
      expect(inputs.filter((f) => /^node:|(^|\/)node_modules\/jimp\//.test(f))).toEqual([]);
      // The browser files were the ones bundled, not the Node ones.
      if (entry !== '@caddm/face' && entry !== '@caddm/anchors' && entry !== '@caddm/simd' && entry !== '@caddm/trainer/web') {
        expect(inputs.some((f) => f.endsWith('/src/browser.ts'))).toBe(true);
      }
    });
  }

  it('fails on a package that needs Node (the check can fail)', async () => {
    const { errors } = await bundleForBrowser('@caddm/datasets');
    expect(errors.length).toBeGreaterThan(0);
    expect(builtinsIn(errors).join('\n')).toMatch(/node:(fs|path|child_process|worker_threads|zlib|crypto)/);
  });
});
