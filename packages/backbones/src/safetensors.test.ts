import { describe, expect, it } from 'vitest';
import { parseSafetensors, SafetensorsFormatError, serializeSafetensors, toFloat32, type SafeTensor } from './index.js';

/** Builds a raw file from a header object and a data section. */
function raw(header: unknown, data: Uint8Array = new Uint8Array(0), lengthOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips every dtype with metadata, bit-exactly', () => {
    const tensors = new Map<string, SafeTensor>([
      ['a.f32', { dtype: 'F32', shape: [2, 3], data: new Float32Array([1, -2.5, 3e-8, NaN, Infinity, -0]) }],
      ['b.f64', { dtype: 'F64', shape: [2], data: new Float64Array([Math.PI, -1e300]) }],
      ['c.i64', { dtype: 'I64', shape: [], data: new BigInt64Array([-9007199254740993n]) }],
      ['d.f16', { dtype: 'F16', shape: [3], data: new Uint16Array([0x3c00, 0xc000, 0x0001]) }],
      ['e.u8', { dtype: 'U8', shape: [1, 1, 5], data: new Uint8Array([0, 1, 2, 254, 255]) }],
      ['f.empty', { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) }],
    ]);
    const bytes = serializeSafetensors(tensors, { format: 'pt' });
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLen % 8).toBe(0);
    const back = parseSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'pt' });
    expect([...back.tensors.keys()]).toEqual([...tensors.keys()]);
    for (const [k, t] of tensors) {
      const b = back.tensors.get(k)!;
      expect(b.dtype).toBe(t.dtype);
      expect(b.shape).toEqual(t.shape);
      expect(new Uint8Array(b.data.buffer)).toEqual(new Uint8Array(t.data.buffer));
    }
  });

  it('decodes F16, BF16 and I64 to float32', () => {
    const f16: SafeTensor = { dtype: 'F16', shape: [6], data: new Uint16Array([0x3c00, 0xc000, 0x3555, 0x0001, 0x7c00, 0xfbff]) };
    expect(Array.from(toFloat32(f16))).toEqual([1, -2, Math.fround(0.333251953125), Math.fround(2 ** -24), Infinity, -65504]);
    const bf: SafeTensor = { dtype: 'BF16', shape: [3], data: new Uint16Array([0x3f80, 0xc049, 0x0000]) };
    expect(Array.from(toFloat32(bf))).toEqual([1, Math.fround(-3.140625), 0]);
    const i64: SafeTensor = { dtype: 'I64', shape: [2], data: new BigInt64Array([7n, -3n]) };
    expect(Array.from(toFloat32(i64))).toEqual([7, -3]);
  });

  it('reads from an unaligned view inside a larger buffer (e.g. a Node Buffer pool)', () => {
    const file = serializeSafetensors({ w: { dtype: 'F32', shape: [2], data: new Float32Array([1.5, -2]) } });
    const big = new Uint8Array(file.length + 3);
    big.set(file, 3);
    const t = parseSafetensors(big.subarray(3)).tensors.get('w')!;
    expect(Array.from(t.data as Float32Array)).toEqual([1.5, -2]);
  });

  const cases: [string, Uint8Array, RegExp][] = [
    ['too short', new Uint8Array(5), /too short/],
    ['header length past the end', raw({}, new Uint8Array(0), 1000n), /header length 1000 exceeds/],
    ['header not JSON', raw('{"a": '), /not valid UTF-8 JSON/],
    ['header an array', raw([1, 2]), /not a JSON object/],
    ['unknown dtype', raw({ w: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)), /'w'.*unsupported dtype "Q4"/],
    ['negative shape', raw({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)), /'w'.*shape/],
    ['reversed offsets', raw({ w: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, new Uint8Array(4)), /'w'.*data_offsets/],
    ['offsets past the data', raw({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, new Uint8Array(4)), /'w'.*run past the 4-byte/],
    ['size mismatch', raw({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)), /'w': 8 bytes for F32 \[3\], expected 12/],
    [
      'overlapping tensors',
      raw(
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
        },
        new Uint8Array(12),
      ),
      /'a' and 'b' overlap/,
    ],
    ['metadata not strings', raw({ __metadata__: { a: 1 } }), /__metadata__.a is not a string/],
  ];
  it.each(cases)('rejects a corrupt file: %s', (_label, bytes, message) => {
    expect(() => parseSafetensors(bytes)).toThrow(SafetensorsFormatError);
    expect(() => parseSafetensors(bytes)).toThrow(message);
  });

  it('refuses to write data that does not match the shape', () => {
    expect(() => serializeSafetensors({ w: { dtype: 'F32', shape: [3], data: new Float32Array(2) } })).toThrow(
      /'w': 2 elements for shape \[3\]/,
    );
    expect(() => serializeSafetensors({ w: { dtype: 'F64', shape: [2], data: new Float32Array(2) } })).toThrow(
      /does not match dtype F64/,
    );
  });
});
