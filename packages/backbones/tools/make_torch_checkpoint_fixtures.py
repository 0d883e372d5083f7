#!/usr/bin/env python3
"""Writes src/__fixtures__/torch/: small torch.save files and their expected
tensors, for the TypeScript checkpoint reader (src/torch-checkpoint.test.ts).

Each valid fixture NAME.{pt,pkl} comes with NAME.safetensors holding the
same tensors made contiguous (written by the small writer below, so the
safetensors package is not needed): the TypeScript reader must give the
same bytes. hostile/ holds crafted files that must be refused with a clear
error; none of them is ever loaded here (they are bytes, built by hand or
with zipfile).

Needs PyTorch >= 1.6 (made with Debian's python3-torch 1.13):
    /usr/bin/python3 packages/backbones/tools/make_torch_checkpoint_fixtures.py
The tensors are seeded (torch.manual_seed), so a rerun gives the same
tensors; zip timestamps of the hostile files may differ.
"""
import collections
import io
import json
import os
import pickle
import struct
import zipfile

import torch

OUT = os.path.join(os.path.dirname(__file__), '..', 'src', '__fixtures__', 'torch')
HOSTILE = os.path.join(OUT, 'hostile')
os.makedirs(HOSTILE, exist_ok=True)
torch.manual_seed(20230601)

from safetensors_io import write_safetensors  # noqa: E402


def save_pair(obj, state_dict, name, ext='pt'):
    torch.save(obj, os.path.join(OUT, f'{name}.{ext}'))
    write_safetensors(state_dict, os.path.join(OUT, f'{name}.safetensors'))


# A narrow network with conv, batch norm (int64 num_batches_tracked) and linear weights.
net = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.ReLU(),
                          torch.nn.Flatten(), torch.nn.Linear(4, 2))
net[1].running_mean.normal_()
net[1].num_batches_tracked.fill_(7)
sd = net.state_dict()
save_pair(sd, sd, 'state-dict')
sd_before_step = collections.OrderedDict((k, v.clone()) for k, v in sd.items())

# Every storage type a state dict may hold.
dt = collections.OrderedDict()
x = torch.randn(3, 5)
dt['f16'] = x.half()
dt['bf16'] = x.bfloat16()
dt['f64'] = x.double()
dt['i64'] = torch.tensor([-(2 ** 40), -1, 0, 3, 2 ** 53 + 1])
dt['i32'] = torch.arange(-3, 3, dtype=torch.int32)
dt['u8'] = torch.arange(250, 256, dtype=torch.uint8)
dt['bool'] = torch.tensor([True, False, True])
dt['scalar'] = torch.tensor(2.5)
dt['empty'] = torch.zeros(0, 4)
save_pair(dt, dt, 'dtypes')

# Shared storages, non-contiguous views and storage offsets.
base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
vw = collections.OrderedDict()
vw['base'] = base
vw['transposed'] = base.t()                  # stride (1, 6), same storage
vw['rows'] = base[1:3]                       # storage offset 6
vw['every_other'] = base[:, 1::2]            # stride (6, 2), offset 1
vw['column'] = base[:, 4]                    # stride (6,), offset 4
vw['expanded'] = torch.tensor([1.5, -2.0]).expand(3, 2)   # stride (0, 1)
vw['permuted'] = torch.randn(2, 3, 4).permute(2, 0, 1)
vw['tied'] = base                            # the same tensor under two keys
save_pair(vw, vw, 'views')
# The legacy (pre-1.6) format, which torchvision's, efficientnet_pytorch's and Cadene's ImageNet files
# still use: the same tensors (saved before the optimiser step below changes them), read back to the
# same bytes as their zip twins.
for name, obj in [('state-dict', sd), ('dtypes', dt), ('views', vw)]:
    torch.save(obj, os.path.join(OUT, f'{name}-legacy.pt'), _use_new_zipfile_serialization=False)

# The authors' checkpoint layout (train.py): torch.save({'network': ..., 'opt_state': ..., 'epoch': n}, 'epoch_n.pkl'),
# from a DataParallel model (hence 'module.'), with Adam's state after one step.
opt = torch.optim.Adam(net.parameters(), lr=1e-4)
net(torch.randn(2, 3, 3, 3)).sum().backward()
opt.step()
network = collections.OrderedDict(('module.' + k, v) for k, v in net.state_dict().items())
save_pair({'network': network, 'opt_state': opt.state_dict(), 'epoch': 3}, network, 'epoch_3', ext='pkl')
# A dict with no state dict under the usual names.
torch.save({'weights_here': network, 'epoch': 3}, os.path.join(OUT, 'no-state-dict.pth'))
torch.save({'network': network, 'opt_state': opt.state_dict(), 'epoch': 3}, os.path.join(OUT, 'epoch_3-legacy.pkl'),
           _use_new_zipfile_serialization=False)


# The first torch.save format (2017, before PyTorch 0.1.10; torchvision's first ResNet files): a tar of
# 'sys_info', 'storages' (count, then per storage a pickled (key, location, type), its int64 element
# count and its bytes, then the views), 'tensors' (count, then per tensor a pickled (key, storage key,
# type), int32 ndim plus 4 bytes, int64 sizes, strides and offset) and 'pickle' (the object, tensors
# as persistent ids). PyTorch cannot write it any more; this writes it as torch.serialization's
# legacy_load reads it, and checks that torch.load reads it back.
def save_tar_format(sd, path):
    import tarfile

    def dump(obj):
        return pickle.dumps(obj, protocol=2)

    storages, tensors, keys = [], [], {}
    for name, t in sd.items():
        t = t.detach()
        st = t.storage()
        skey = keys.setdefault(st.data_ptr(), len(keys))
        if skey == len(storages):
            storages.append((skey, st))
        tensors.append((1000 + len(tensors), skey, t))
    ids = {name: str(tkey) for (name, _), (tkey, _, _) in zip(sd.items(), tensors)}

    sbuf = io.BytesIO()
    sbuf.write(dump(len(storages)))
    for skey, st in storages:
        sbuf.write(dump((skey, 'cpu', getattr(torch, type(st).__name__ if type(st).__name__ != 'TypedStorage' else st.pickle_storage_type()))))
        raw = torch.tensor([], dtype=st.dtype).set_(st).contiguous()
        data = raw.view(torch.int16).numpy().tobytes() if raw.dtype in (torch.float16, torch.bfloat16) else raw.numpy().tobytes()
        sbuf.write(struct.pack('<q', st.size()) + data)
    sbuf.write(dump([]))

    tbuf = io.BytesIO()
    tbuf.write(dump(len(tensors)))
    for tkey, skey, t in tensors:
        tbuf.write(dump((tkey, skey, getattr(torch, t.type().split('.')[-1]))))
        tbuf.write(struct.pack('<i', t.dim()) + b'\0' * 4)
        tbuf.write(struct.pack(f'<{t.dim()}q', *t.shape) + struct.pack(f'<{t.dim()}q', *t.stride()) + struct.pack('<q', t.storage_offset()))

    class P(pickle.Pickler):
        def persistent_id(self, obj):
            for name, v in sd.items():
                if obj is v:
                    return ids[name]
            return None

    pbuf = io.BytesIO()
    P(pbuf, protocol=2).dump(collections.OrderedDict(sd))
    with tarfile.open(path, 'w', format=tarfile.PAX_FORMAT) as tar:
        for name, data in [('sys_info', dump({'protocol_version': 1001, 'little_endian': True, 'type_sizes': {'short': 2, 'int': 4, 'long': 4}})),
                           ('pickle', pbuf.getvalue()), ('storages', sbuf.getvalue()), ('tensors', tbuf.getvalue())]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
    back = torch.load(path)
    assert list(back.keys()) == list(sd.keys()), (list(back.keys()), list(sd.keys()))
    for k, v in sd.items():
        assert back[k].dtype == v.dtype and torch.equal(back[k], v), k


save_tar_format(collections.OrderedDict((k, v.clone()) for k, v in sd_before_step.items()), os.path.join(OUT, 'state-dict-tar.pt'))
save_tar_format(vw, os.path.join(OUT, 'views-tar.pt'))
# A whole module, pickled by class (torch.nn.modules...): a global outside the whitelist.
torch.save(net, os.path.join(HOSTILE, 'whole-module.pt'))


# ---------------------------------------------------------------- hostile pickles, by hand
def checkpoint_zip(path, pkl, storages=(), extra=(), method=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, 'w', method) as z:
        z.writestr('archive/data.pkl', pkl)
        for key, data in storages:
            z.writestr(f'archive/data/{key}', data)
        for name, data in extra:
            z.writestr(zipfile.ZipInfo(name), data)
        z.writestr('archive/version', '3\n')


MARKER = '/tmp/caddm-unpickle-must-not-exist'
cmd = f'touch {MARKER}'.encode()
# GLOBAL os system, then REDUCE ('touch ...',): what pickle.dumps gives for os.system (pickled by reference).
checkpoint_zip(os.path.join(HOSTILE, 'os-system.pt'),
               b'\x80\x02cos\nsystem\nq\x00X' + struct.pack('<I', len(cmd)) + cmd + b'\x85R.')
# builtins.eval by STACK_GLOBAL (protocol 4).
checkpoint_zip(os.path.join(HOSTILE, 'stack-global-eval.pt'),
               b'\x80\x04\x8c\x08builtins\x8c\x04eval\x93\x8c\x011\x85R.')
# REDUCE on an allowed but non-callable global (a storage type).
checkpoint_zip(os.path.join(HOSTILE, 'reduce-storage-type.pt'), b'\x80\x02ctorch\nFloatStorage\n)R.')
# REDUCE on something that is no global at all.
checkpoint_zip(os.path.join(HOSTILE, 'reduce-string.pt'), b'\x80\x02X\x01\x00\x00\x00a)R.')
# A string that claims 4 GB.
checkpoint_zip(os.path.join(HOSTILE, 'huge-string.pt'), b'\x80\x02X\xf0\xff\xff\xff' + b'abc')


def tensor_pickle(numel, size, stride, offset=0):
    def i(n):  # BININT or LONG1
        return b'J' + struct.pack('<i', n) if -2 ** 31 <= n < 2 ** 31 else b'\x8a\x08' + struct.pack('<q', n)
    def tup(xs):
        return b'(' + b''.join(i(n) for n in xs) + b't'
    return (b'\x80\x02}(X\x01\x00\x00\x00w'
            b'ctorch._utils\n_rebuild_tensor_v2\n'
            b'((X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpu' + i(numel) + b'tQ'
            + i(offset) + tup(size) + tup(stride) + b'\x89ccollections\nOrderedDict\n)RtRu.')


# A storage that claims 2^40 elements over a 4-byte entry.
checkpoint_zip(os.path.join(HOSTILE, 'huge-storage.pt'), tensor_pickle(2 ** 40, [2 ** 40], [1]), [('0', b'\0' * 4)])
# A stride-0 view that claims 2^40 elements of a 1-element storage.
checkpoint_zip(os.path.join(HOSTILE, 'huge-view.pt'), tensor_pickle(1, [2 ** 40], [0]), [('0', b'\0' * 4)])
# A view past the end of its storage.
checkpoint_zip(os.path.join(HOSTILE, 'view-out-of-range.pt'), tensor_pickle(4, [2, 2], [2, 1], offset=1), [('0', b'\0' * 16)])
# A storage with no entry.
checkpoint_zip(os.path.join(HOSTILE, 'missing-storage.pt'), tensor_pickle(1, [1], [1]))
# A truncated checkpoint: the first half of a valid one.
with open(os.path.join(OUT, 'state-dict.pt'), 'rb') as f:
    whole = f.read()
with open(os.path.join(HOSTILE, 'truncated.pt'), 'wb') as f:
    f.write(whole[:len(whole) // 2])
# A zip entry that would escape its folder.
checkpoint_zip(os.path.join(HOSTILE, 'dotdot.pt'), b'\x80\x02}.', extra=[('archive/../../evil.sh', b'echo')])
# A zip bomb: 64 MiB of zeros deflated to ~64 KiB.
with zipfile.ZipFile(os.path.join(HOSTILE, 'zip-bomb.pt'), 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('archive/data.pkl', b'\x80\x02}.')
    z.writestr('archive/data/0', b'\0' * (64 << 20))
# A pickle with an opcode this reader does not interpret (INST, protocol 0).
checkpoint_zip(os.path.join(HOSTILE, 'inst-opcode.pt'), b'(ios\nsystem\n.')

# Legacy files gone wrong: cut inside a storage; a storage claiming 2^40 elements; os.system in the object pickle.
with open(os.path.join(OUT, 'state-dict-legacy.pt'), 'rb') as f:
    legacy = f.read()
with open(os.path.join(HOSTILE, 'legacy-truncated.pt'), 'wb') as f:
    f.write(legacy[:-3])
buf = io.BytesIO()
torch.save(collections.OrderedDict(w=torch.ones(1)), buf, _use_new_zipfile_serialization=False)
small = buf.getvalue()
assert small[-12:-4] == struct.pack('<q', 1)  # the last storage: its int64 element count, then 4 bytes
with open(os.path.join(HOSTILE, 'legacy-huge-count.pt'), 'wb') as f:
    f.write(small[:-12] + struct.pack('<q', 2 ** 40) + small[-4:])
header = b''.join(pickle.dumps(v, protocol=2) for v in (0x1950a86a20f9469cfc6c, 1001, {'protocol_version': 1001, 'little_endian': True}))
with open(os.path.join(HOSTILE, 'legacy-os-system.pt'), 'wb') as f:
    f.write(header + b'\x80\x02cos\nsystem\nq\x00X' + struct.pack('<I', len(cmd)) + cmd + b'\x85R.')

# Tar-format files gone wrong: cut short; os.system as the object pickle.
with open(os.path.join(OUT, 'state-dict-tar.pt'), 'rb') as f:
    tar_bytes = f.read()
with open(os.path.join(HOSTILE, 'tar-truncated.pt'), 'wb') as f:
    f.write(tar_bytes[:2500])  # inside an entry's data
import tarfile  # noqa: E402
with tarfile.open(os.path.join(HOSTILE, 'tar-os-system.pt'), 'w', format=tarfile.PAX_FORMAT) as tar:
    for name, data in [('pickle', b'\x80\x02cos\nsystem\nq\x00X' + struct.pack('<I', len(cmd)) + cmd + b'\x85R.'),
                       ('storages', pickle.dumps(0, protocol=2) + pickle.dumps([], protocol=2)), ('tensors', pickle.dumps(0, protocol=2))]:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))

print('wrote', sorted(os.listdir(OUT)), sorted(os.listdir(HOSTILE)))
