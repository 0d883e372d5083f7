/**
 * The procedural face model: an identity (face shape, skin / hair / eye / lip colours,
 * skin texture, hair style), per-frame expression and pose, and the 68 landmarks in the
 * iBUG order, placed in 3-D and projected orthographically. The renderer draws the face
 * from these very points, so the landmarks are exact.
 */
import type { Rng } from '@caddm/image';

/** A person of the benchmark. */
export interface Identity {
  /** Integer id (also seeds the identity's texture). */
  id: number;
  /** Jaw half-width (canonical units; the face is about 2 wide). */
  jawW: number;
  /** Chin height below the eye line. */
  chin: number;
  /** Jaw curve exponent (< 1 squarer). */
  jawPow: number;
  /** Eye centre distance from the midline. */
  eyeSep: number;
  /** Eye half-width. */
  eyeW: number;
  /** Eye half-height. */
  eyeH: number;
  /** Eye line height. */
  eyeY: number;
  /** Brow height above the eye. */
  browUp: number;
  /** Brow arch. */
  browArch: number;
  /** Brow thickness. */
  browT: number;
  /** Nose tip height. */
  noseY: number;
  /** Nostril half-width. */
  noseW: number;
  /** Mouth line height. */
  mouthY: number;
  /** Mouth half-width. */
  mouthW: number;
  /** Upper lip thickness. */
  lipUp: number;
  /** Lower lip thickness. */
  lipLow: number;
  /** Hairline height (negative: above the eyes). */
  hairline: number;
  /** Hair volume (head outline scale). */
  hairVol: number;
  /** Skin colour (RGB 0..255). */
  skin: [number, number, number];
  /** Hair colour. */
  hair: [number, number, number];
  /** Iris colour. */
  iris: [number, number, number];
  /** Lip colour. */
  lip: [number, number, number];
  /** Skin texture strength. */
  texAmp: number;
  /** Skin texture frequency. */
  texFreq: number;
  /** Moles: canonical x, y, radius. */
  moles: number[];
}

/** Facial expression of one frame. */
export interface Expression {
  /** Mouth opening (0 closed .. 0.16). */
  open: number;
  /** Smile (mouth corners up and out). */
  smile: number;
  /** Brow raise. */
  brow: number;
  /** Eyelid closure (0 open .. 1 closed). */
  blink: number;
  /** Gaze offset (canonical units). */
  gazeX: number;
}

/** Head pose and placement of one frame. */
export interface Pose {
  /** Yaw in radians (turning left/right). */
  yaw: number;
  /** Pitch in radians. */
  pitch: number;
  /** Roll in radians (in-plane). */
  roll: number;
  /** Pixels per canonical unit. */
  scale: number;
  /** Image x of the canonical origin. */
  cx: number;
  /** Image y of the canonical origin. */
  cy: number;
}

const SKIN_TONES: Array<[number, number, number]> = [
  [241, 206, 180], [224, 172, 138], [198, 134, 96], [161, 102, 70], [120, 78, 52], [232, 190, 160], [210, 160, 120],
];
const HAIR: Array<[number, number, number]> = [[30, 22, 18], [70, 45, 30], [120, 80, 45], [190, 150, 90], [140, 60, 30], [90, 90, 90], [20, 20, 25]];
const IRIS: Array<[number, number, number]> = [[70, 45, 25], [40, 90, 140], [70, 110, 70], [110, 80, 40], [50, 50, 60]];

function jitterColour(rng: Rng, c: readonly number[], amt: number): [number, number, number] {
  return [0, 1, 2].map((k) => Math.min(255, Math.max(0, c[k] + rng.uniform(-amt, amt)))) as [number, number, number];
}

/** Samples an identity. */
export function sampleIdentity(rng: Rng, id: number): Identity {
  const skin = jitterColour(rng, rng.choice(SKIN_TONES), 14);
  const moles: number[] = [];
  const nm = rng.int(0, 4);
  for (let i = 0; i < nm; i++) moles.push(rng.uniform(-0.7, 0.7), rng.uniform(-0.4, 0.9), rng.uniform(0.02, 0.045));
  return {
    id,
    jawW: rng.uniform(0.86, 1.06),
    chin: rng.uniform(1.05, 1.3),
    jawPow: rng.uniform(0.65, 1.15),
    eyeSep: rng.uniform(0.36, 0.46),
    eyeW: rng.uniform(0.13, 0.18),
    eyeH: rng.uniform(0.045, 0.07),
    eyeY: rng.uniform(-0.28, -0.18),
    browUp: rng.uniform(0.17, 0.27),
    browArch: rng.uniform(0.03, 0.09),
    browT: rng.uniform(0.035, 0.075),
    noseY: rng.uniform(0.2, 0.32),
    noseW: rng.uniform(0.13, 0.2),
    mouthY: rng.uniform(0.56, 0.7),
    mouthW: rng.uniform(0.25, 0.35),
    lipUp: rng.uniform(0.035, 0.065),
    lipLow: rng.uniform(0.05, 0.09),
    hairline: rng.uniform(-1.0, -0.72),
    hairVol: rng.uniform(1.05, 1.3),
    skin,
    hair: jitterColour(rng, rng.choice(HAIR), 12),
    iris: jitterColour(rng, rng.choice(IRIS), 15),
    lip: jitterColour(rng, [skin[0] * 0.85 + 25, skin[1] * 0.6, skin[2] * 0.62], 10),
    texAmp: rng.uniform(0.03, 0.08),
    texFreq: rng.uniform(5, 11),
    moles,
  };
}

/**
 * The 68 canonical points (x right, y down, z towards the camera), flat `[x, y, z] x 68`,
 * for an identity and expression.
 */
export function canonicalPoints(id: Identity, e: Expression): Float64Array {
  const p = new Float64Array(68 * 3);
  const set = (i: number, x: number, y: number, z: number): void => {
    p[3 * i] = x;
    p[3 * i + 1] = y;
    p[3 * i + 2] = z;
  };
  const surf = (x: number): number => 0.55 * Math.sqrt(Math.max(0, 1 - 0.75 * x * x));
  // Jaw 0-16: from the left temple under the chin to the right temple.
  for (let i = 0; i <= 16; i++) {
    const t = (Math.PI * i) / 16;
    const s = Math.sin(t);
    const x = -Math.cos(t) * id.jawW * (1 - 0.08 * s * s);
    const drop = e.open * 0.7 * Math.pow(s, 3);
    const y = -0.3 + (id.chin + 0.3) * Math.pow(s, id.jawPow) + drop;
    set(i, x, y, 0.3 * s - 0.15);
  }
  // Brows 17-21 (outer to inner), 22-26 (inner to outer).
  const browLen = id.eyeW * 2.3;
  for (let k = 0; k < 5; k++) {
    const x = id.eyeSep + browLen / 2 - (browLen * k) / 4;
    const y = id.eyeY - id.browUp - id.browArch * Math.sin((Math.PI * (k + 0.5)) / 5) - e.brow;
    set(17 + k, -x, y, surf(x) + 0.03);
    set(26 - k, x, y, surf(x) + 0.03);
  }
  // Nose bridge 27-30 and base 31-35.
  for (let k = 0; k < 4; k++) {
    const t = k / 3;
    set(27 + k, 0, id.eyeY + 0.02 + t * (id.noseY - id.eyeY - 0.02), 0.6 + 0.28 * t);
  }
  for (let k = 0; k < 5; k++) {
    const u = (k - 2) / 2;
    set(31 + k, u * id.noseW, id.noseY + 0.075 - 0.03 * Math.abs(u), 0.66 - 0.08 * Math.abs(u));
  }
  // Eyes.
  const lid = 1 - 0.9 * e.blink;
  for (const side of [-1, 1]) {
    const cx = side * id.eyeSep;
    const base = side < 0 ? 36 : 42;
    const z = surf(id.eyeSep) + 0.02;
    // Points in the 68-point order: left eye 36 outer, 37-38 top, 39 inner, 40-41 bottom;
    // right eye 42 inner, 43-44 top, 45 outer, 46-47 bottom.
    const outer = cx + side * id.eyeW;
    const inner = cx - side * id.eyeW;
    const top = id.eyeY - id.eyeH * lid;
    const bot = id.eyeY + id.eyeH * 0.75 * (0.4 + 0.6 * lid);
    const a = side * id.eyeW * 0.36;
    if (side < 0) {
      set(base, outer, id.eyeY + 0.008, z - 0.03);
      set(base + 1, cx + a, top, z);
      set(base + 2, cx - a, top, z);
      set(base + 3, inner, id.eyeY, z - 0.01);
      set(base + 4, cx - a, bot, z);
      set(base + 5, cx + a, bot, z);
    } else {
      set(base, inner, id.eyeY, z - 0.01);
      set(base + 1, cx - a, top, z);
      set(base + 2, cx + a, top, z);
      set(base + 3, outer, id.eyeY + 0.008, z - 0.03);
      set(base + 4, cx + a, bot, z);
      set(base + 5, cx - a, bot, z);
    }
  }
  // Mouth.
  const mw = id.mouthW * (1 + 1.2 * e.smile);
  const my = id.mouthY;
  const cornerY = my - 0.6 * e.smile;
  const zm = 0.5;
  set(48, -mw, cornerY, zm - 0.06);
  set(54, mw, cornerY, zm - 0.06);
  const up = [0.65, 1.0, 0.8, 1.0, 0.65];
  const ux = [-0.6, -0.25, 0, 0.25, 0.6];
  for (let k = 0; k < 5; k++) set(49 + k, ux[k] * mw, my - id.lipUp * up[k] - 0.15 * e.smile * Math.abs(ux[k]), zm);
  const lo = [0.7, 0.95, 1, 0.95, 0.7];
  const lx = [0.6, 0.3, 0, -0.3, -0.6];
  for (let k = 0; k < 5; k++) set(55 + k, lx[k] * mw, my + e.open + id.lipLow * lo[k] - 0.15 * e.smile * Math.abs(lx[k]), zm);
  set(60, -mw * 0.86, cornerY, zm - 0.04);
  set(64, mw * 0.86, cornerY, zm - 0.04);
  const ix = [-0.32, 0, 0.32];
  for (let k = 0; k < 3; k++) set(61 + k, ix[k] * mw, my - id.lipUp * 0.12 - 0.12 * e.smile * Math.abs(ix[k]), zm);
  for (let k = 0; k < 3; k++) set(65 + k, -ix[k] * mw, my + e.open + id.lipLow * 0.08 - 0.12 * e.smile * Math.abs(ix[k]), zm);
  return p;
}

/** Rotation matrix (row-major 3x3) of a pose: roll · pitch · yaw. */
export function poseMatrix(pose: Pose): Float64Array {
  const cy = Math.cos(pose.yaw);
  const sy = Math.sin(pose.yaw);
  const cp = Math.cos(pose.pitch);
  const sp = Math.sin(pose.pitch);
  const cr = Math.cos(pose.roll);
  const sr = Math.sin(pose.roll);
  // Ry (yaw about the vertical axis), Rx (pitch), Rz (roll in the image plane).
  const ry = [cy, 0, sy, 0, 1, 0, -sy, 0, cy];
  const rx = [1, 0, 0, 0, cp, -sp, 0, sp, cp];
  const rz = [cr, -sr, 0, sr, cr, 0, 0, 0, 1];
  const mul = (a: number[], b: number[]): number[] => {
    const o = new Array<number>(9).fill(0);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) o[r * 3 + c] += a[r * 3 + k] * b[k * 3 + c];
    return o;
  };
  return Float64Array.from(mul(rz, mul(rx, ry)));
}

/** Projects flat `[x, y, z]` canonical points to image pixels (flat `[x, y]`). */
export function projectPoints(p3: ArrayLike<number>, pose: Pose, R: ArrayLike<number> = poseMatrix(pose)): Float32Array {
  const n = p3.length / 3;
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const x = p3[3 * i];
    const y = p3[3 * i + 1];
    const z = p3[3 * i + 2];
    out[2 * i] = pose.cx + pose.scale * (R[0] * x + R[1] * y + R[2] * z);
    out[2 * i + 1] = pose.cy + pose.scale * (R[3] * x + R[4] * y + R[5] * z);
  }
  return out;
}

/**
 * Identity parameters of the inner face (eyes, brows, nose, mouth: shape, colour and
 * skin texture): what a face swap takes from its source identity. The rest (jaw, chin,
 * hairline, hair) is the outer face, which stays the target's.
 */
export const INNER_FACE_KEYS = [
  'eyeSep', 'eyeW', 'eyeH', 'eyeY', 'browUp', 'browArch', 'browT', 'noseY', 'noseW',
  'mouthY', 'mouthW', 'lipUp', 'lipLow', 'iris', 'lip', 'skin', 'texAmp', 'texFreq', 'moles',
] as const satisfies ReadonlyArray<keyof Identity>;

/** Identity parameters of the outer face: what a face swap keeps from its target. */
export const OUTER_FACE_KEYS = ['jawW', 'chin', 'jawPow', 'hairline', 'hairVol', 'hair'] as const satisfies ReadonlyArray<keyof Identity>;

/**
 * The person a face swap shows: the donor's inner face (its parameters and its skin
 * texture, which is seeded by the donor's id) on the target's outer face. Colour is
 * the donor's here; a swap method matches it to the target only partly.
 */
export function swappedIdentity(target: Identity, donor: Identity): Identity {
  const out: Identity = { ...target, id: donor.id };
  for (const k of INNER_FACE_KEYS) (out as unknown as Record<string, unknown>)[k] = structuredClone(donor[k]);
  return out;
}

/**
 * Identity parameters as one vector of comparable scale (each shape parameter divided
 * by its sampling range; colours by 255), for nearest-identity pairing and probes.
 * `part` picks the inner face, the outer face, or both.
 */
export function identityVector(id: Identity, part: 'inner' | 'outer' | 'all' = 'all'): Float64Array {
  const keys: ReadonlyArray<keyof Identity> =
    part === 'inner' ? INNER_FACE_KEYS.filter((k) => k !== 'moles') : part === 'outer' ? OUTER_FACE_KEYS : [...INNER_FACE_KEYS.filter((k) => k !== 'moles'), ...OUTER_FACE_KEYS];
  const out: number[] = [];
  for (const k of keys) {
    const v = id[k];
    if (Array.isArray(v)) for (const c of v) out.push(c / 255);
    else out.push((v as number) / (PARAM_RANGE[k as string] ?? 1));
  }
  return Float64Array.from(out);
}

/** Width of each scalar parameter's sampling range in {@link sampleIdentity}. */
const PARAM_RANGE: Readonly<Record<string, number>> = {
  jawW: 0.2, chin: 0.25, jawPow: 0.5, eyeSep: 0.1, eyeW: 0.05, eyeH: 0.025, eyeY: 0.1, browUp: 0.1, browArch: 0.06,
  browT: 0.04, noseY: 0.12, noseW: 0.07, mouthY: 0.14, mouthW: 0.1, lipUp: 0.03, lipLow: 0.04, hairline: 0.28,
  hairVol: 0.25, texAmp: 0.05, texFreq: 6,
};
