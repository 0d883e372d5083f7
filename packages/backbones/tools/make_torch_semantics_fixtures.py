#!/usr/bin/env python3
"""Writes src/__fixtures__/{efficientnet-b0,xception,resnet50}-tiny.{safetensors,json}.

Each fixture is a tiny (reduced-width) network with random weights in the
PyTorch key layout of its source library (efficientnet_pytorch, timm
legacy Xception, torchvision ResNet-50), an NCHW input, and the eval-mode
logits computed here with numpy following PyTorch semantics: NCHW
cross-correlation with explicit (possibly asymmetric) zero padding,
grouped convs, max pooling padded with -inf, batch norm on running
statistics. The implementation below is written from those libraries'
forward() code and shares nothing with the TypeScript port, so the tests
that load these files check the port's layouts, paddings and block
wiring. Needs only numpy. Run: python3 tools/make_torch_semantics_fixtures.py
"""
import json
import math
import os
import struct

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'src', '__fixtures__')
rng = np.random.default_rng(20230601)


# ---------------------------------------------------------------- primitives (NCHW)
def pad(x, t, b, l, r, value=0.0):
    return np.pad(x, ((0, 0), (0, 0), (t, b), (l, r)), constant_values=value)


def conv(x, w, bias=None, stride=1, padding=(0, 0, 0, 0), groups=1):
    """PyTorch conv2d; padding = (top, bottom, left, right)."""
    x = pad(x, *padding)
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    oh = (h - kh) // stride + 1
    ow = (wd - kw) // stride + 1
    out = np.zeros((n, o, oh, ow), dtype=np.float64)
    og = o // groups
    for g in range(groups):
        xs = x[:, g * cg:(g + 1) * cg]
        ws = w[g * og:(g + 1) * og]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i:i + stride * (oh - 1) + 1:stride, j:j + stride * (ow - 1) + 1:stride]
                out[:, g * og:(g + 1) * og] += np.einsum('nchw,oc->nohw', patch, ws[:, :, i, j])
    if bias is not None:
        out += bias[None, :, None, None]
    return out


def maxpool(x, k, s, p):
    x = pad(x, p, p, p, p, value=-np.inf)
    n, c, h, w = x.shape
    oh = (h - k) // s + 1
    ow = (w - k) // s + 1
    out = np.full((n, c, oh, ow), -np.inf)
    for i in range(k):
        for j in range(k):
            out = np.maximum(out, x[:, :, i:i + s * (oh - 1) + 1:s, j:j + s * (ow - 1) + 1:s])
    return out


relu = lambda x: np.maximum(x, 0)
sigmoid = lambda x: 1 / (1 + np.exp(-x))
swish = lambda x: x * sigmoid(x)


def f32(a):
    """Rounds weights to float16 (how they are stored, to keep fixtures small) and computes in float64."""
    return np.asarray(a).astype(np.float16).astype(np.float64)


class Weights:
    """Creates random weights under PyTorch names; records them for saving."""

    def __init__(self):
        self.sd = {}

    def conv(self, name, o, i, k, bias=False):
        w = f32(rng.normal(0, math.sqrt(2.0 / (i * k * k)), (o, i, k, k)))
        self.sd[name + '.weight'] = w
        if bias:
            self.sd[name + '.bias'] = f32(rng.normal(0, 0.1, (o,)))
        return w, (self.sd[name + '.bias'] if bias else None)

    def bn(self, name, c, eps):
        g = f32(rng.uniform(0.5, 1.5, c))
        b = f32(rng.normal(0, 0.1, c))
        m = f32(rng.normal(0, 0.1, c))
        v = f32(rng.uniform(0.5, 1.5, c))
        self.sd.update({name + '.weight': g, name + '.bias': b, name + '.running_mean': m, name + '.running_var': v})
        self.sd[name + '.num_batches_tracked'] = np.array(7, dtype=np.int64)
        return lambda x: (x - m[None, :, None, None]) / np.sqrt(v[None, :, None, None] + eps) * g[None, :, None, None] + b[None, :, None, None]

    def linear(self, name, o, i):
        w = f32(rng.normal(0, 1 / math.sqrt(i), (o, i)))
        b = f32(rng.normal(0, 0.1, (o,)))
        self.sd[name + '.weight'] = w
        self.sd[name + '.bias'] = b
        return lambda x: x @ w.T + b


# ---------------------------------------------------------------- efficientnet_pytorch
def efficientnet(x, W, width, depth, image_size, num_classes):
    def round_filters(f):
        f *= width
        nf = max(8, int(f + 4) // 8 * 8)
        if nf < 0.9 * f:
            nf += 8
        return int(nf)

    def static_same(k, s):  # Conv2dStaticSamePadding for image_size
        oh = math.ceil(image_size / s)
        p = max((oh - 1) * s + k - image_size, 0)
        return (p // 2, p - p // 2, p // 2, p - p // 2)

    eps = 1e-3
    blocks = [(3, 1, 1, 1, 32, 16), (3, 2, 2, 6, 16, 24), (5, 2, 2, 6, 24, 40), (3, 3, 2, 6, 40, 80),
              (5, 3, 1, 6, 80, 112), (5, 4, 2, 6, 112, 192), (3, 1, 1, 6, 192, 320)]
    stem = round_filters(32)
    w, _ = W.conv('_conv_stem', stem, 3, 3)
    x = swish(W.bn('_bn0', stem, eps)(conv(x, w, stride=2, padding=static_same(3, 2))))
    idx = 0
    for k, r, s, e, i, o in blocks:
        i, o, r = round_filters(i), round_filters(o), int(math.ceil(depth * r))
        for rep in range(r):
            cin, stride = (i, s) if rep == 0 else (o, 1)
            p = f'_blocks.{idx}.'
            inputs = x
            hid = cin * e
            if e != 1:
                w, _ = W.conv(p + '_expand_conv', hid, cin, 1)
                x = swish(W.bn(p + '_bn0', hid, eps)(conv(x, w)))
            w, _ = W.conv(p + '_depthwise_conv', hid, 1, k)
            x = swish(W.bn(p + '_bn1', hid, eps)(conv(x, w, stride=stride, padding=static_same(k, stride), groups=hid)))
            sq = max(1, int(cin * 0.25))
            wr, br = W.conv(p + '_se_reduce', sq, hid, 1, bias=True)
            we, be = W.conv(p + '_se_expand', hid, sq, 1, bias=True)
            z = x.mean(axis=(2, 3), keepdims=True)
            z = conv(swish(conv(z, wr, br)), we, be)
            x = sigmoid(z) * x
            w, _ = W.conv(p + '_project_conv', o, hid, 1)
            x = W.bn(p + '_bn2', o, eps)(conv(x, w))
            if stride == 1 and cin == o:
                x = x + inputs
            idx += 1
    head = round_filters(1280)
    w, _ = W.conv('_conv_head', head, x.shape[1], 1)
    x = swish(W.bn('_bn1', head, eps)(conv(x, w)))
    return W.linear('_fc', num_classes, head)(x.mean(axis=(2, 3)))


# ---------------------------------------------------------------- timm legacy xception
def xception(x, W, scale, num_classes):
    c = lambda n: max(1, round(n * scale))
    eps = 1e-5

    def sep(x, name, cin, cout):
        w1, _ = W.conv(name + '.conv1', cin, 1, 3)
        w2, _ = W.conv(name + '.pointwise', cout, cin, 1)
        return conv(conv(x, w1, padding=(1, 1, 1, 1), groups=cin), w2)

    def block(inp, bid, cin, cout, reps, strides, start_with_relu=True, grow_first=True):
        p = f'block{bid}.'
        rep = []
        for i in range(reps):
            if grow_first:
                inc, outc = (cin if i == 0 else cout), cout
            else:
                inc, outc = cin, (cin if i < reps - 1 else cout)
            rep += [('relu',), ('sep', inc, outc), ('bn', outc)]
        if not start_with_relu:
            rep = rep[1:]
        if strides != 1:
            rep.append(('pool',))
        x = inp
        for j, op in enumerate(rep):
            if op[0] == 'relu':
                x = relu(x)
            elif op[0] == 'sep':
                x = sep(x, f'{p}rep.{j}', op[1], op[2])
            elif op[0] == 'bn':
                x = W.bn(f'{p}rep.{j}', op[1], eps)(x)
            else:
                x = maxpool(x, 3, strides, 1)
        if cout != cin or strides != 1:
            w, _ = W.conv(p + 'skip', cout, cin, 1)
            skip = W.bn(p + 'skipbn', cout, eps)(conv(inp, w, stride=strides))
        else:
            skip = inp
        return x + skip

    w, _ = W.conv('conv1', c(32), 3, 3)
    x = relu(W.bn('bn1', c(32), eps)(conv(x, w, stride=2)))
    w, _ = W.conv('conv2', c(64), c(32), 3)
    x = relu(W.bn('bn2', c(64), eps)(conv(x, w)))
    x = block(x, 1, c(64), c(128), 2, 2, start_with_relu=False)
    x = block(x, 2, c(128), c(256), 2, 2)
    x = block(x, 3, c(256), c(728), 2, 2)
    for b in range(4, 12):
        x = block(x, b, c(728), c(728), 3, 1)
    x = block(x, 12, c(728), c(1024), 2, 2, grow_first=False)
    x = relu(W.bn('bn3', c(1536), eps)(sep(x, 'conv3', c(1024), c(1536))))
    x = relu(W.bn('bn4', c(2048), eps)(sep(x, 'conv4', c(1536), c(2048))))
    return W.linear('fc', num_classes, c(2048))(x.mean(axis=(2, 3)))


# ---------------------------------------------------------------- torchvision resnet50
def resnet50(x, W, scale, num_classes):
    c = lambda n: max(1, round(n * scale))
    eps = 1e-5
    w, _ = W.conv('conv1', c(64), 3, 7)
    x = relu(W.bn('bn1', c(64), eps)(conv(x, w, stride=2, padding=(3, 3, 3, 3))))
    x = maxpool(x, 3, 2, 1)
    inplanes = c(64)
    for li, (planes, blocks, stride) in enumerate([(c(64), 3, 1), (c(128), 4, 2), (c(256), 6, 2), (c(512), 3, 2)]):
        for b in range(blocks):
            p = f'layer{li + 1}.{b}.'
            s = stride if b == 0 else 1
            idn = x
            w, _ = W.conv(p + 'conv1', planes, inplanes, 1)
            y = relu(W.bn(p + 'bn1', planes, eps)(conv(x, w)))
            w, _ = W.conv(p + 'conv2', planes, planes, 3)
            y = relu(W.bn(p + 'bn2', planes, eps)(conv(y, w, stride=s, padding=(1, 1, 1, 1))))
            w, _ = W.conv(p + 'conv3', planes * 4, planes, 1)
            y = W.bn(p + 'bn3', planes * 4, eps)(conv(y, w))
            if b == 0:
                w, _ = W.conv(p + 'downsample.0', planes * 4, inplanes, 1)
                idn = W.bn(p + 'downsample.1', planes * 4, eps)(conv(x, w, stride=s))
            x = relu(y + idn)
            inplanes = planes * 4
    return W.linear('fc', num_classes, inplanes)(x.mean(axis=(2, 3)))


# ---------------------------------------------------------------- output
def save_safetensors(path, sd):
    header, blobs, off = {}, [], 0
    for k, v in sd.items():
        if v.dtype == np.int64:
            b, dt = v.astype('<i8').tobytes(), 'I64'
        else:
            b, dt = v.astype('<f2').tobytes(), 'F16'
        header[k] = {'dtype': dt, 'shape': list(v.shape), 'data_offsets': [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b' ' * (-len(h) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def make(name, about, fn, size, options):
    W = Weights()
    # A closed-form input (exact in float32), so it need not be stored.
    n, ch, h, w = np.meshgrid(np.arange(2), np.arange(3), np.arange(size[0]), np.arange(size[1]), indexing='ij')
    x = ((n * 7 + ch * 13 + h * 31 + w * 17) % 97) / 97.0
    logits = fn(x, W)
    save_safetensors(os.path.join(OUT, name + '.safetensors'), W.sd)
    with open(os.path.join(OUT, name + '.json'), 'w') as f:
        json.dump({'_about': about, 'options': options,
                   'input': 'x[n,c,h,w] = ((7n + 13c + 31h + 17w) mod 97) / 97, shape [2, 3, H, W]',
                   'logits': logits.tolist()}, f)
    print(name, len(W.sd), 'tensors', sum(v.size for v in W.sd.values()), 'values', logits.shape)


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    about = ('{arch} with random weights in the {lib} key layout, eval mode; logits computed by '
             'tools/make_torch_semantics_fixtures.py (numpy, PyTorch semantics). weights stored as F16.')
    make('efficientnet-b0-tiny', about.format(arch='EfficientNet-b0 at width 0.125', lib='efficientnet_pytorch'),
         lambda x, W: efficientnet(x, W, 0.125, 1.0, 224, 3), (64, 48),
         {'name': 'efficientnet-b0', 'widthMultiplier': 0.125, 'inputSize': [64, 48], 'numClasses': 3})
    make('xception-tiny', about.format(arch='Xception at width 1/32', lib='timm legacy_xception'),
         lambda x, W: xception(x, W, 1 / 32, 3), (72, 80),
         {'name': 'xception', 'widthMultiplier': 0.03125, 'inputSize': [72, 80], 'numClasses': 3})
    make('resnet50-tiny', about.format(arch='ResNet-50 at width 1/32', lib='torchvision'),
         lambda x, W: resnet50(x, W, 1 / 32, 3), (48, 40),
         {'name': 'resnet50', 'widthMultiplier': 0.03125, 'inputSize': [48, 40], 'numClasses': 3})
