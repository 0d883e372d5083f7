/**
 * Reading the frame count and size of an MP4/MOV video straight from its `moov` box
 * (the video track's `stsz` sample count and `stsd` visual entry), with no process
 * to start. ffprobe reports the same `nb_frames`; other containers are counted by ffmpeg (see `probeVideo`).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Frame count and size of an MP4 video track. */
export interface Mp4Info {
  /** Number of samples (frames) of the first video track. */
  frameCount: number;
  /** Coded width. */
  width: number;
  /** Coded height. */
  height: number;
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  const n = readSync(fd, b, 0, len, pos);
  return n === len ? b : b.subarray(0, n);
}

/** Child boxes of a container payload: [type, start, end] (payload offsets). */
function* boxes(buf: Buffer, start: number, end: number): Generator<[string, number, number]> {
  let p = start;
  while (p + 8 <= end) {
    let size = buf.readUInt32BE(p);
    const type = buf.toString('latin1', p + 4, p + 8);
    let header = 8;
    if (size === 1) {
      if (p + 16 > end) return;
      size = Number(buf.readBigUInt64BE(p + 8));
      header = 16;
    } else if (size === 0) size = end - p;
    if (size < header || p + size > end) return;
    yield [type, p + header, p + size];
    p += size;
  }
}

function child(buf: Buffer, start: number, end: number, type: string): [number, number] | undefined {
  for (const [t, s, e] of boxes(buf, start, end)) if (t === type) return [s, e];
  return undefined;
}

/**
 * Parses the frame count of an MP4/MOV file's first video track.
 * @returns undefined when the file is not an MP4 with a readable video track (callers fall back to ffmpeg)
 */
export function readMp4Info(path: string): Mp4Info | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    let pos = 0;
    while (pos + 8 <= size) {
      const h = readAt(fd, pos, 16);
      if (h.length < 8) return undefined;
      let boxSize = h.readUInt32BE(0);
      const type = h.toString('latin1', 4, 8);
      let header = 8;
      if (boxSize === 1 && h.length >= 16) {
        boxSize = Number(h.readBigUInt64BE(8));
        header = 16;
      } else if (boxSize === 0) boxSize = size - pos;
      if (boxSize < header || pos + boxSize > size) return undefined;
      if (type === 'moov') {
        if (boxSize > 256 * 1024 * 1024) return undefined;
        const moov = readAt(fd, pos + header, boxSize - header);
        return parseMoov(moov);
      }
      pos += boxSize;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function parseMoov(buf: Buffer): Mp4Info | undefined {
  for (const [t, s, e] of boxes(buf, 0, buf.length)) {
    if (t !== 'trak') continue;
    const mdia = child(buf, s, e, 'mdia');
    if (!mdia) continue;
    const hdlr = child(buf, mdia[0], mdia[1], 'hdlr');
    if (!hdlr || buf.toString('latin1', hdlr[0] + 8, hdlr[0] + 12) !== 'vide') continue;
    const minf = child(buf, mdia[0], mdia[1], 'minf');
    const stbl = minf && child(buf, minf[0], minf[1], 'stbl');
    if (!stbl) return undefined;
    const stsz = child(buf, stbl[0], stbl[1], 'stsz');
    const stsd = child(buf, stbl[0], stbl[1], 'stsd');
    if (!stsz || !stsd || stsz[1] - stsz[0] < 12 || stsd[1] - stsd[0] < 8 + 36) return undefined;
    const frameCount = buf.readUInt32BE(stsz[0] + 8);
    const entry = stsd[0] + 8; // after version/flags and entry count
    const width = buf.readUInt16BE(entry + 32);
    const height = buf.readUInt16BE(entry + 34);
    return frameCount > 0 ? { frameCount, width, height } : undefined;
  }
  return undefined;
}
