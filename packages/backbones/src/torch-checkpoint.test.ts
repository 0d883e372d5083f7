import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseSafetensors,
  parseTorchCheckpoint,
  parseWeights,
  TorchCheckpointError,
  UnsafePickleError,
  type SafeTensor,
} from './index.js';

const dir = new URL('./__fixtures__/torch/', import.meta.url);
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, dir)));

function expectSame(got: Map<string, SafeTensor>, want: Map<string, SafeTensor>): void {
  expect([...got.keys()]).toEqual([...want.keys()]);
  for (const [k, w] of want) {
    const g = got.get(k)!;
    expect({ k, dtype: g.dtype, shape: g.shape }).toEqual({ k, dtype: w.dtype, shape: w.shape });
    expect(g.data.constructor).toBe(w.data.constructor);
    expect(Buffer.from(g.data.buffer, g.data.byteOffset, g.data.byteLength).equals(Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength)), k).toBe(true);
  }
}

describe('parseTorchCheckpoint (fixtures from tools/make_torch_checkpoint_fixtures.py)', () => {
  it('a state dict equals the safetensors export of the same tensors, byte for byte', () => {
    const w = parseTorchCheckpoint(read('state-dict.pt'), { file: 'state-dict.pt' });
    expect(w).toMatchObject({ format: 'torch', entry: null, otherEntries: [] });
    expectSame(w.tensors, parseSafetensors(read('state-dict.safetensors')).tensors);
    expect(w.tensors.get('1.num_batches_tracked')).toMatchObject({ dtype: 'I64', shape: [], data: new BigInt64Array([7n]) });
  });

  it('reads float16, bfloat16, float64, int64 (past 2^53), int32, uint8, bool, scalar and empty tensors', () => {
    const w = parseTorchCheckpoint(read('dtypes.pt'));
    expectSame(w.tensors, parseSafetensors(read('dtypes.safetensors')).tensors);
    expect([...(w.tensors.get('i64')!.data as BigInt64Array)]).toEqual([-(2n ** 40n), -1n, 0n, 3n, 2n ** 53n + 1n]);
    expect(w.tensors.get('bf16')!.dtype).toBe('BF16');
    expect(w.tensors.get('f16')!.dtype).toBe('F16');
  });

  it('honours shared storages, strides (transposed, stepped, expanded, permuted) and storage offsets', () => {
    const w = parseTorchCheckpoint(read('views.pt'));
    expectSame(w.tensors, parseSafetensors(read('views.safetensors')).tensors);
    expect([...(w.tensors.get('every_other')!.data as Float32Array)]).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23]);
    // Every tensor owns its data, also when the file shares one storage.
    expect(w.tensors.get('base')!.data.buffer).not.toBe(w.tensors.get('tied')!.data.buffer);
  });

  it("takes 'network' of the authors' checkpoint dict and says what else it holds", () => {
    const w = parseWeights(read('epoch_3.pkl'), { file: 'epoch_3.pkl' });
    expect(w).toMatchObject({ format: 'torch', entry: 'network', otherEntries: ['opt_state', 'epoch'] });
    expectSame(w.tensors, parseSafetensors(read('epoch_3.safetensors')).tensors);
    expect([...w.tensors.keys()][0]).toBe('module.0.weight');
  });

  it('reads the legacy format (PyTorch < 1.6, as ImageNet files still are) to the same bytes as the zip format', () => {
    for (const name of ['state-dict', 'dtypes', 'views']) {
      const w = parseTorchCheckpoint(read(`${name}-legacy.pt`), { file: `${name}-legacy.pt` });
      expect(w).toMatchObject({ format: 'torch', entry: null });
      expectSame(w.tensors, parseSafetensors(read(`${name}.safetensors`)).tensors);
    }
    const w = parseWeights(read('epoch_3-legacy.pkl'));
    expect(w).toMatchObject({ entry: 'network', otherEntries: ['opt_state', 'epoch'] });
    expectSame(w.tensors, parseSafetensors(read('epoch_3.safetensors')).tensors);
  });

  it('reads the first, tar format (2017) to the same bytes, views and shared storages included', () => {
    for (const [tar, twin] of [['state-dict-tar.pt', 'state-dict.safetensors'], ['views-tar.pt', 'views.safetensors']]) {
      const w = parseWeights(read(tar), { file: tar });
      expect(w).toMatchObject({ format: 'torch', entry: null });
      expectSame(w.tensors, parseSafetensors(read(twin)).tensors);
    }
  });

  it('lists the entries when no state dict is under network/state_dict/model, and takes a named entry', () => {
    expect(() => parseWeights(read('no-state-dict.pth'), { file: 'no-state-dict.pth' })).toThrow(
      /^no-state-dict\.pth: no state dict .* under 'network', 'state_dict', 'model'; the file holds 'weights_here' \(dict of 9\), 'epoch' \(number\); name the entry/,
    );
    expect(parseWeights(read('no-state-dict.pth'), { entry: 'weights_here' }).tensors.size).toBe(9);
  });

  it('parseWeights reads .safetensors as before', () => {
    const w = parseWeights(read('views.safetensors'));
    expect(w.format).toBe('safetensors');
    expect(w.tensors.size).toBe(8);
  });
});

describe('hostile and broken files: one clear error, bounded memory, nothing executed or written', () => {
  const marker = '/tmp/caddm-unpickle-must-not-exist';
  const cases: [string, RegExp, typeof TorchCheckpointError][] = [
    ['os-system.pt', /os-system\.pt: data\.pkl asks for the global os\.system, which is not allowed; .*nothing in a pickle is executed/, UnsafePickleError],
    ['stack-global-eval.pt', /the global builtins\.eval, which is not allowed/, UnsafePickleError],
    ['whole-module.pt', /asks for the global torch\.nn\.modules\.container\.Sequential, which is not allowed/, UnsafePickleError],
    ['reduce-storage-type.pt', /calls torch\.FloatStorage, which is not an allowed callable/, UnsafePickleError],
    ['reduce-string.pt', /calls something that is not a global \(string\)/, UnsafePickleError],
    ['inst-opcode.pt', /uses opcode 0x28|uses opcode 0x69 \('i'\)/, UnsafePickleError],
    ['huge-string.pt', /claims 4294967280 bytes at offset \d+ but only 3 remain/, TorchCheckpointError],
    ['huge-storage.pt', /storage '0' claims 1099511627776 F32 elements .* but its entry has 4 bytes/, TorchCheckpointError],
    ['huge-view.pt', /tensor 'w' \[1099511627776\] needs 4398046511104 bytes, over the remaining limit/, TorchCheckpointError],
    ['view-out-of-range.pt', /tensor 'w' \[2, 2\] \(stride \[2, 1\], offset 1\) reaches element 4 of a 4-element storage/, TorchCheckpointError],
    ['missing-storage.pt', /storage '0' has no entry 'archive\/data\/0'/, TorchCheckpointError],
    ['truncated.pt', /no zip end-of-central-directory record \(truncated zip\?\)/, TorchCheckpointError],
    ['dotdot.pt', /zip entry 'archive\/\.\.\/\.\.\/evil\.sh' has an absolute path or '\.\.' in its name/, TorchCheckpointError],
    ['zip-bomb.pt', /zip entry 'archive\/data\/0' would inflate \d+ bytes to 67108864 \(ratio over 200: a zip bomb\?\)/, TorchCheckpointError],
    ['legacy-truncated.pt', /legacy-truncated\.pt: legacy torch\.save file ends inside storage '\d+' \(\d+ bytes claimed, \d+ left; truncated\)/, TorchCheckpointError],
    ['legacy-huge-count.pt', /legacy torch\.save file says storage '\d+' has 1099511627776 elements, its tensors 1/, TorchCheckpointError],
    ['tar-truncated.pt', /tar-truncated\.pt: tar torch\.save file has a tar entry '\w+' of \d+ bytes past its end \(truncated\?\)|tar-truncated\.pt: tar torch\.save file has no '\w+' entry/, TorchCheckpointError],
    ['tar-os-system.pt', /tar-os-system\.pt: tar pickle asks for the global os\.system, which is not allowed/, UnsafePickleError],
    ['legacy-os-system.pt', /legacy-os-system\.pt: legacy pickle asks for the global os\.system, which is not allowed/, UnsafePickleError],
  ];
  for (const [name, message, type] of cases) {
    it(name, () => {
      const before = process.memoryUsage().arrayBuffers;
      let error: unknown;
      try {
        parseWeights(read(`hostile/${name}`), { file: name });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(type);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 2 ** 20);
      expect(existsSync(marker)).toBe(false);
    });
  }

  it('names the refused global on the error', () => {
    try {
      parseWeights(read('hostile/os-system.pt'));
      expect.unreachable();
    } catch (e) {
      expect((e as UnsafePickleError).global).toBe('os.system');
    }
  });

  it('refuses bytes that are no weights format at all', () => {
    expect(() => parseWeights(new TextEncoder().encode('hello, world'), { file: 'x.bin' })).toThrow(
      /^x\.bin: neither a \.safetensors file nor a torch\.save zip; give weights as \.safetensors, \.pth, \.pt, \.bin, \.pkl$/,
    );
  });
});
