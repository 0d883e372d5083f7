/**
 * The web app in a real browser (Debian's chromium through playwright-core),
 * against the built site served on 127.0.0.1: a photo and a short video are
 * scored on the wasm backend and checked against `caddm detect --json` on the
 * same files with the same model folder; no request may leave the origin.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { missingForTests, repoRoot } from '@caddm/testkit';
import { contiguous, decodeImage, writeImage } from '@caddm/image';
import { encodeMp4 } from '@caddm/datasets';
import { serveStatic } from './serve.js';

const APP = fileURLToPath(new URL('..', import.meta.url));
const ROOT = repoRoot();
const DEMO = join(APP, 'public/models/demo');
const CHROMIUM = process.env.CADDM_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM) || missingForTests(`no Chromium at ${CHROMIUM}`, "install Debian's chromium (apt-get install chromium) or set CADDM_CHROMIUM to a Chromium binary");
const FRAMES = 4;

/** A face-api sample photo (three faces; MIT, shipped in the npm package), as PNG so that both sides decode the same pixels. */
async function fixtures(dir: string): Promise<{ image: string; video: string }> {
  const require = createRequire(join(ROOT, 'packages/face-detect/package.json'));
  const sample = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo/sample1.jpg');
  const photo = await decodeImage(new Uint8Array(readFileSync(sample)), {}, sample);
  const image = join(dir, 'three-faces.png');
  await writeImage(image, photo);
  // One face, held still for 2 s at 5 fps: any sampled frame shows the same picture.
  const face = contiguous(photo.lo(330, 650).hi(480, 560));
  const video = join(dir, 'still-face.mp4');
  await encodeMp4(Array.from({ length: 10 }, () => face), video, { fps: 5, crf: 18 });
  return { image, video };
}

/** `caddm detect --json` on the wasm backend, from the sources (no build needed). */
async function cliDetect(files: string[]): Promise<{ results: Array<Record<string, unknown>> }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--conditions=@caddm/source', '--import', 'tsx', join(ROOT, 'packages/trainer/src/cli/bin.ts'), 'detect', ...files, '--run', DEMO, '--json', '--frames', String(FRAMES)],
    { cwd: ROOT, env: { ...process.env, CADDM_BACKEND: 'wasm', CADDM_QUIET: '1' }, maxBuffer: 64 << 20 },
  );
  return JSON.parse(stdout) as { results: Array<Record<string, unknown>> };
}

interface FaceJson {
  box: { x: number; y: number; width: number; height: number };
  pFake: number;
  artifacts: Array<{ x0: number; y0: number; x1: number; y1: number }>;
  artifactQuads: number[][][];
}

describe.skipIf(!haveChromium)('web app in chromium', () => {
  let browser: Browser;
  let page: Page;
  let server: { url: string; close: () => Promise<void> };
  let dir: string;
  let files: { image: string; video: string };
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'caddm-web-'));
    files = await fixtures(dir);
    // The site as `pnpm web:build` makes it.
    await promisify(execFile)(process.execPath, [join(APP, 'scripts/assets.mjs')]);
    const { build } = await import('vite');
    await build({ root: APP, configFile: join(APP, 'vite.config.ts'), logLevel: 'warn' });
    server = await serveStatic(join(APP, 'dist'));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('scores a photo and a video as caddm detect does, without leaving the origin', async () => {
    await page.goto(`${server.url}?backend=wasm`);
    await page.waitForFunction(() => (window as unknown as { caddmReady: boolean }).caddmReady === true, null, { timeout: 120_000 });
    expect(await page.getAttribute('[data-testid="backend"]', 'data-backend')).toBe('wasm');
    await page.fill('#frames', String(FRAMES));
    await page.setInputFiles('#files', [files.image, files.video]);
    await page.waitForFunction(() => (window as unknown as { caddmResults: unknown[] }).caddmResults.length >= 2, null, { timeout: 240_000 });
    const web = (await page.evaluate(() => (window as unknown as { caddmResults: unknown[] }).caddmResults)) as Array<Record<string, unknown>>;
    const cli = (await cliDetect([files.image, files.video])).results;

    // The photo: the same faces, P(fake) within 1e-3, boxes within 1 px.
    const webFaces = web[0].faces as FaceJson[];
    const cliFaces = cli[0].faces as FaceJson[];
    expect(webFaces.length).toBe(3);
    expect(webFaces.length).toBe(cliFaces.length);
    webFaces.forEach((f, i) => {
      const c = cliFaces[i];
      expect(Math.abs(f.pFake - c.pFake)).toBeLessThanOrEqual(1e-3);
      for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(f.box[k] - c.box[k])).toBeLessThanOrEqual(1);
      expect(f.artifacts.length).toBe(c.artifacts.length);
      f.artifacts.forEach((a, j) => {
        for (const k of ['x0', 'y0', 'x1', 'y1'] as const) expect(Math.abs(a[k] - c.artifacts[j][k])).toBeLessThanOrEqual(1);
      });
      f.artifactQuads.flat(2).forEach((v, j) => expect(Math.abs(v - c.artifactQuads.flat(2)[j])).toBeLessThanOrEqual(1));
    });
    // The page shows them.
    const shown = await page.locator('[data-testid="p-fake"]').allTextContents();
    for (const f of webFaces) expect(shown).toContain(f.pFake.toFixed(4));

    // The video: every sampled frame has the face; the mean agrees with the CLI's to 0.02
    // (measured 0.0098): both decode the same H.264 bitstream, but the browser converts YUV
    // to RGB (chroma upsampling, rounding) its own way, and it samples by time.
    expect(web[1].framesWithFace).toBe(FRAMES);
    expect(cli[1].framesWithFace).toBe(FRAMES);
    expect(Math.abs((web[1].pFake as number) - (cli[1].pFake as number))).toBeLessThanOrEqual(0.02);
    expect(shown).toContain((web[1].pFake as number).toFixed(4));

    const dPhoto = Math.max(...webFaces.map((f, i) => Math.abs(f.pFake - cliFaces[i].pFake)));
    console.info(`[web e2e] |P(fake) page - CLI|: photo faces max ${dPhoto.toFixed(4)}, video mean ${Math.abs((web[1].pFake as number) - (cli[1].pFake as number)).toFixed(4)}`);

    // Nothing but the page's own files.
    const origin = new URL(server.url).origin;
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('blob:') && !u.startsWith('data:') && new URL(u).origin !== origin)).toEqual([]);
    expect(problems).toEqual([]);

    const shots = join(ROOT, 'reports/web');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'e2e-wasm.png'), fullPage: true });
  }, 300_000);

  it('loads a model folder the user picks, and says what is wrong with a broken one', async () => {
    await page.setInputFiles('#model-folder', DEMO);
    await page.waitForFunction(() => document.querySelector('#model-note')?.textContent?.includes('loaded from demo'), null, { timeout: 60_000 });
    // A folder without its weights: one clear line, no crash.
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    for (const f of ['model.json', 'config.json', 'export.json']) writeFileSync(join(broken, f), readFileSync(join(DEMO, f)));
    await page.setInputFiles('#model-folder', broken);
    await page.waitForSelector('#status.error', { timeout: 60_000 });
    expect(await page.textContent('#status')).toMatch(/^The model could not be loaded: broken\/group1-shard1of1\.bin: weight shard listed in model\.json is missing; copy the whole exported folder$/);
  }, 120_000);
});
