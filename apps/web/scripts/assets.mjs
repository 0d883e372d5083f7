// Copies the files the page fetches from its own origin into public/vendor/
// (git-ignored): face-api's detector and landmark weights, and tfjs' wasm binaries.
// The demo model (public/models/demo/) is committed.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const app = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(app, 'package.json'));
const copies = [
  {
    from: join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model'),
    to: join(app, 'public/vendor/face-api'),
    keep: (f) => /^(tiny_face_detector_model|face_landmark_68_model|ssd_mobilenetv1_model)/.test(f),
  },
  {
    from: join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist'),
    to: join(app, 'public/vendor/tfjs-wasm'),
    keep: (f) => f.endsWith('.wasm'),
  },
];
for (const c of copies) {
  mkdirSync(c.to, { recursive: true });
  const files = readdirSync(c.from).filter(c.keep);
  if (files.length === 0) throw new Error(`${c.from}: none of the expected files; reinstall with 'pnpm install'`);
  for (const f of files) copyFileSync(join(c.from, f), join(c.to, f));
}
