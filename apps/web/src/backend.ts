/**
 * Picks the tfjs backend for this page: WebGPU, then WebGL, then wasm (then the
 * pure-JS cpu backend), each kept only if it initialises and passes a small
 * convolution smoke test. `?backend=wasm` (or webgl, webgpu, cpu) forces one.
 */
import { smokeTest, tf } from '@caddm/tf';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { registerWasmTrainingKernels } from '@caddm/wasm-train';

/** Backends in order of preference. */
export const BROWSER_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BrowserBackend = (typeof BROWSER_BACKENDS)[number];

/** What {@link pickBackend} chose, and why the better ones were skipped. */
export interface BackendChoice {
  readonly name: BrowserBackend;
  readonly forced: boolean;
  readonly skipped: ReadonlyArray<{ name: BrowserBackend; reason: string }>;
}

/** Words for the page. */
export const BACKEND_LABEL: Record<BrowserBackend, string> = {
  webgpu: 'WebGPU (your graphics card)',
  webgl: 'WebGL (your graphics card)',
  wasm: 'WebAssembly (your processor)',
  cpu: 'plain JavaScript (your processor, slow)',
};

async function tryBackend(name: BrowserBackend): Promise<string | undefined> {
  try {
    if (name === 'wasm') {
      // The binaries are served by this site (scripts/assets.mjs copies them), never fetched from a CDN.
      setWasmPaths(new URL('vendor/tfjs-wasm/', document.baseURI).href);
      // The same kernels as `caddm detect` on Node's wasm backend, so both give the same numbers.
      registerWasmTrainingKernels();
    }
    if (!(await tf.setBackend(name))) return 'did not initialise';
    await tf.ready();
    smokeTest();
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message.split('\n')[0] : String(e);
  }
}

/** Selects and initialises the backend (once). */
export async function pickBackend(forced: string | null): Promise<BackendChoice> {
  const order: readonly BrowserBackend[] =
    forced != null && (BROWSER_BACKENDS as readonly string[]).includes(forced) ? [forced as BrowserBackend] : BROWSER_BACKENDS;
  const skipped: Array<{ name: BrowserBackend; reason: string }> = [];
  for (const name of order) {
    const why = await tryBackend(name);
    if (why == null) return { name, forced: order.length === 1, skipped };
    skipped.push({ name, reason: why });
  }
  throw new Error(`no tfjs backend works in this browser: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}
