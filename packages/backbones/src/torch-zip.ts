/**
 * A small, bounded zip reader for the container `torch.save` writes
 * (PyTorch >= 1.6): the central directory (zip64 included) is read from the
 * end of the buffer, every entry is bounds-checked, and entries are returned
 * as views (STORED, what torch writes) or inflated with a hard output limit
 * (DEFLATE, what a re-zipped file may hold). Nothing is ever written to disk.
 *
 * @packageDocumentation
 */
import { inflateRawSync } from 'node:zlib';
import { TorchCheckpointError } from './errors.js';

/** Limits of {@link readZip}; the defaults fit any real checkpoint. */
export interface ZipLimits {
  /** Most entries in the central directory (default 100,000). */
  readonly maxEntries?: number;
  /** Largest uncompressed entry in bytes (default 8 GiB, and never more than a typed array holds). */
  readonly maxEntryBytes?: number;
  /** Largest ratio of uncompressed to compressed size for a DEFLATE entry (default 200). */
  readonly maxRatio?: number;
}

/** One entry of the central directory. */
export interface ZipEntry {
  readonly name: string;
  /** 0 = STORED, 8 = DEFLATE. */
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  /** Offset of the entry's data (after its local header) in the buffer. */
  readonly dataOffset: number;
}

/** A zip archive over a byte buffer: its entries by name and a reader for their bytes. */
export interface ZipArchive {
  readonly entries: ReadonlyMap<string, ZipEntry>;
  /** The entry's bytes: a view for STORED entries, inflated (within the limits) for DEFLATE. */
  read(entry: ZipEntry): Uint8Array;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** True when `bytes` starts with a zip local-file or end-of-directory signature. */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/**
 * Reads the central directory of a zip held in `bytes`.
 *
 * @param file - the name used in error messages.
 * @throws {@link TorchCheckpointError} on a truncated or inconsistent archive,
 * an entry name that is absolute or contains `..`, a duplicate name,
 * overlapping entries, an unsupported compression method or encryption, or
 * an entry over the limits.
 */
export function readZip(bytes: Uint8Array, file: string, limits: ZipLimits = {}): ZipArchive {
  const maxEntries = limits.maxEntries ?? 100_000;
  const maxEntryBytes = Math.min(limits.maxEntryBytes ?? 8 * 2 ** 30, 2 ** 32);
  const maxRatio = limits.maxRatio ?? 200;
  const bad = (problem: string): TorchCheckpointError =>
    new TorchCheckpointError(`${file}: ${problem}; the file is damaged or not a PyTorch checkpoint, save it again with torch.save`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number): number => view.getUint16(o, true);
  const u32 = (o: number): number => view.getUint32(o, true);
  const u64 = (o: number): number => {
    const v = view.getBigUint64(o, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw bad(`a zip64 field holds ${v}, past any real file`);
    return Number(v);
  };

  // End of central directory: 22 bytes plus a comment of up to 65535 bytes.
  let eocd = -1;
  for (let o = bytes.length - 22; o >= Math.max(0, bytes.length - 22 - 65535); o--) {
    if (u32(o) === EOCD) {
      eocd = o;
      break;
    }
  }
  if (eocd < 0) throw bad('no zip end-of-central-directory record (truncated zip?)');
  let count = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(loc) !== EOCD64_LOCATOR) throw bad('zip64 sizes without a zip64 locator');
    const e64 = u64(loc + 8);
    if (e64 + 56 > bytes.length || u32(e64) !== EOCD64) throw bad('zip64 end-of-central-directory record out of range');
    count = u64(e64 + 32);
    cdSize = u64(e64 + 40);
    cdOffset = u64(e64 + 48);
  }
  if (count > maxEntries) throw bad(`${count} zip entries, over the limit of ${maxEntries}`);
  if (cdOffset + cdSize > bytes.length) throw bad(`central directory [${cdOffset}, +${cdSize}) runs past the ${bytes.length}-byte file (truncated zip?)`);

  const entries = new Map<string, ZipEntry>();
  const ranges: [number, number, string][] = [];
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdOffset + cdSize || u32(p) !== CENTRAL) throw bad(`central directory entry ${i} is damaged`);
    const flags = u16(p + 8);
    const method = u16(p + 10);
    let compressedSize = u32(p + 20);
    let size = u32(p + 24);
    const nameLen = u16(p + 28);
    const extraLen = u16(p + 30);
    const commentLen = u16(p + 32);
    let localOffset = u32(p + 42);
    const end = p + 46 + nameLen + extraLen + commentLen;
    if (end > cdOffset + cdSize) throw bad(`central directory entry ${i} runs past the directory`);
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // zip64 extended information: the fields that were 0xffffffff, in order.
    for (let x = p + 46 + nameLen; x + 4 <= p + 46 + nameLen + extraLen; ) {
      const id = u16(x);
      const len = u16(x + 2);
      if (id === 1) {
        let f = x + 4;
        if (size === 0xffffffff) (size = u64(f)), (f += 8);
        if (compressedSize === 0xffffffff) (compressedSize = u64(f)), (f += 8);
        if (localOffset === 0xffffffff) localOffset = u64(f);
      }
      x += 4 + len;
    }
    p = end;
    if (name.startsWith('/') || name.includes('\\') || name.split('/').includes('..') || /^[A-Za-z]:/.test(name)) {
      throw new TorchCheckpointError(
        `${file}: zip entry '${name}' has an absolute path or '..' in its name, which no torch.save writes; refusing the file (it may be crafted)`,
      );
    }
    if (entries.has(name)) throw bad(`zip entry '${name}' appears twice`);
    if (flags & 1) throw bad(`zip entry '${name}' is encrypted`);
    if (method !== 0 && method !== 8) throw bad(`zip entry '${name}' uses compression method ${method} (only STORED and DEFLATE are read)`);
    if (size > maxEntryBytes) throw bad(`zip entry '${name}' claims ${size} bytes, over the limit of ${maxEntryBytes}`);
    if (method === 0 && compressedSize !== size) throw bad(`stored zip entry '${name}' has ${compressedSize} bytes for ${size}`);
    if (method === 8 && size > Math.max(1024, compressedSize * maxRatio)) {
      throw bad(`zip entry '${name}' would inflate ${compressedSize} bytes to ${size} (ratio over ${maxRatio}: a zip bomb?)`);
    }
    if (localOffset + 30 > bytes.length || u32(localOffset) !== LOCAL) throw bad(`zip entry '${name}' has no local header at ${localOffset} (truncated zip?)`);
    const dataOffset = localOffset + 30 + u16(localOffset + 26) + u16(localOffset + 28);
    if (dataOffset + compressedSize > bytes.length) {
      throw bad(`zip entry '${name}' [${dataOffset}, +${compressedSize}) runs past the ${bytes.length}-byte file (truncated zip?)`);
    }
    entries.set(name, { name, method, compressedSize, size, dataOffset });
    ranges.push([localOffset, dataOffset + compressedSize, name]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i][0] < ranges[i - 1][1]) throw bad(`zip entries '${ranges[i - 1][2]}' and '${ranges[i][2]}' overlap (a zip bomb?)`);
  }

  return {
    entries,
    read(entry: ZipEntry): Uint8Array {
      const raw = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
      if (entry.method === 0) return raw;
      let out: Buffer;
      try {
        out = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
      } catch (e) {
        throw bad(`zip entry '${entry.name}' does not inflate to its declared ${entry.size} bytes (${(e as Error).message})`);
      }
      if (out.length !== entry.size) throw bad(`zip entry '${entry.name}' inflates to ${out.length} bytes, not its declared ${entry.size}`);
      return new Uint8Array(out.buffer, out.byteOffset, out.length);
    },
  };
}
