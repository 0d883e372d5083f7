import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestError } from '../errors.js';
import { tempDir } from '../testing/fixtures.js';
import { loadManifest, MANIFEST_VERSION } from './manifest.js';

const record = (file: unknown, source?: unknown) =>
  JSON.stringify({ v: MANIFEST_VERSION, id: 'ds/original/v', dataset: 'ds', method: 'original', label: 0, input: 'x.mp4', status: 'ok', frameCount: 1, width: 8, height: 8, scale: 1, frames: [{ index: 0, file, landmarks: null, ...(source ? { source } : {}) }] });

describe('loadManifest', () => {
  it('refuses frame files that are not relative .png paths (a crafted entry is never opened), naming the line', () => {
    const dir = tempDir('caddm-manifest-');
    const m = join(dir, 'manifest.jsonl');
    for (const bad of ['../../etc/passwd', '/etc/shadow.png', 'frames/v/0.jpg', 7]) {
      writeFileSync(m, record(bad) + '\n');
      expect(() => loadManifest(m), String(bad)).toThrow(ManifestError);
      expect(() => loadManifest(m)).toThrow(new RegExp(`manifest\\.jsonl:1: frame file .* of ds/original/v is not a relative \\.png path`));
    }
    writeFileSync(m, record('frames/v/000000.png', { file: '../../etc/passwd', index: 0 }) + '\n');
    expect(() => loadManifest(m)).toThrow(/frame file "\.\.\/\.\.\/etc\/passwd"/);
    // A view's frames point back into its source cache: relative .png paths with ../ are frames.
    writeFileSync(m, record('../../source-cache/frames/v/000000.png') + '\n');
    expect(loadManifest(m).videos.size).toBe(1);
  });
});
