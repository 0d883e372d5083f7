#!/usr/bin/python3
"""PyTorch baselines for the figures of packages/adm/bench/caddm.ts that ../shared/bench/baseline.py lacks.

The whole CADDM network as packages/adm builds it (reference backbones/caddm.py and backbones/adm.py):
torchvision-layout ResNet-34 -> Artifact Detection Module (three extra blocks 7->7->5->3, an end
block 3->1, box and class heads on all four maps, 2 anchors per cell) -> short connection (pooled
feature + the ADM's 1x1 feature) -> linear, 2 classes. Batch 8, Adam (lr 1e-3), 2 threads; the loss
has the benchmark's form: cross-entropy on the logits + 0.1 x (Smooth-L1 of the box offsets against
zeros + cross-entropy of the anchor classes against class 0).

Needs Debian's python3-torch. Run:  /usr/bin/python3 bench/baselines/caddm.py [--only NAME,...]
Prints one JSON line per figure: {"name", "ms" (median), "runs"}; names:
  caddm_resnet34_train_224_b8 / caddm_resnet34_predict_224_b8             widths 64..512 at 224, output stride 32
  caddm_small_resnet34_112_train_b8 / caddm_small_resnet34_112_predict_b8 widths 16..128 at 112, output stride 16
"""
import argparse, json, time

import numpy as np


def median_ms(f, n, warm=1):
    for _ in range(warm):
        f()
    ts = []
    for _ in range(n):
        s = time.perf_counter()
        f()
        ts.append((time.perf_counter() - s) * 1000)
    return float(np.median(ts)), n


def build(torch, widths, last_stride):
    nn = torch.nn

    class Basic(nn.Module):
        def __init__(s, cin, cout, stride):
            super().__init__()
            s.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); s.b1 = nn.BatchNorm2d(cout)
            s.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); s.b2 = nn.BatchNorm2d(cout)
            s.down = None if stride == 1 and cin == cout else nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

        def forward(s, x):
            y = s.b2(s.c2(torch.relu(s.b1(s.c1(x)))))
            return torch.relu(y + (x if s.down is None else s.down(x)))

    class Extra(nn.Module):  # ADM_ExtraBlock: conv1(k, bias)-BN-ReLU, conv3x3(pad 1)-BN, + conv(k)-BN shortcut, ReLU
        def __init__(s, c, k):
            super().__init__()
            s.c1 = nn.Conv2d(c, c, k, 1, 0, bias=True); s.b1 = nn.BatchNorm2d(c)
            s.c2 = nn.Conv2d(c, c, 3, 1, 1, bias=False); s.b2 = nn.BatchNorm2d(c)
            s.down = nn.Sequential(nn.Conv2d(c, c, k, 1, 0, bias=False), nn.BatchNorm2d(c))

        def forward(s, x):
            return torch.relu(s.b2(s.c2(torch.relu(s.b1(s.c1(x))))) + s.down(x))

    class End(nn.Module):  # ADM_EndBlock: conv3x3(bias), ReLU, conv1x1(bias), + conv3x3(bias) shortcut, ReLU
        def __init__(s, c):
            super().__init__()
            s.c1 = nn.Conv2d(c, c, 3, 1, 0); s.c2 = nn.Conv2d(c, c, 1, 1, 0); s.down = nn.Conv2d(c, c, 3, 1, 0)

        def forward(s, x):
            return torch.relu(s.c2(torch.relu(s.c1(x))) + s.down(x))

    class Caddm(nn.Module):
        def __init__(s):
            super().__init__()
            layers = [nn.Conv2d(3, widths[0], 7, 2, 3, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
            cin = widths[0]
            for i, (w, n) in enumerate(zip(widths, [3, 4, 6, 3])):
                for j in range(n):
                    stride = 1 if j > 0 or i == 0 else (last_stride if i == 3 else 2)
                    layers.append(Basic(cin, w, stride)); cin = w
            s.base = nn.Sequential(*layers)
            c = cin
            s.extra = nn.ModuleList([Extra(c, 1), Extra(c, 3), Extra(c, 3), End(c)])
            s.dets = nn.ModuleList([nn.Conv2d(c, 8, 3 if i < 3 else 1, 1, 1 if i < 3 else 0) for i in range(4)])
            s.cls = nn.ModuleList([nn.Conv2d(c, 4, 3 if i < 3 else 1, 1, 1 if i < 3 else 0) for i in range(4)])
            s.fc = nn.Linear(c, 2)

        def forward(s, x):
            f = s.base(x)
            pooled = f.mean((2, 3))
            locs, confs = [], []
            y = f
            for i in range(4):
                y = s.extra[i](y)
                locs.append(s.dets[i](y).permute(0, 2, 3, 1).reshape(x.shape[0], -1, 4))
                confs.append(s.cls[i](y).permute(0, 2, 3, 1).reshape(x.shape[0], -1, 2))
            logits = s.fc(pooled + y.flatten(1))
            return torch.cat(locs, 1), torch.cat(confs, 1), logits

    return Caddm()


def figures(only):
    import torch
    F = torch.nn.functional
    torch.set_num_threads(2)
    out = []
    for name, widths, size, last_stride in [
        ('caddm_resnet34_%s_224_b8', (64, 128, 256, 512), 224, 2),
        ('caddm_small_resnet34_112_%s_b8', (16, 32, 64, 128), 112, 1),
    ]:
        if name % 'train' not in only and name % 'predict' not in only:
            continue
        m = build(torch, widths, last_stride)
        opt = torch.optim.Adam(m.parameters(), 1e-3)
        x = torch.randn(8, 3, size, size)
        y = torch.tensor([0, 1, 0, 1, 1, 0, 0, 1])

        def train():
            opt.zero_grad()
            loc, conf, logits = m(x)
            det = F.smooth_l1_loss(loc, torch.zeros_like(loc)) + F.cross_entropy(conf.reshape(-1, 2), torch.zeros(conf.shape[0] * conf.shape[1], dtype=torch.long))
            (F.cross_entropy(logits, y) + 0.1 * det).backward()
            opt.step()

        def predict():
            with torch.no_grad():
                m.eval(); torch.softmax(m(x)[2], 1); m.train()

        runs = 3 if size == 224 else 5
        if name % 'train' in only: out.append((name % 'train',) + median_ms(train, runs))
        if name % 'predict' in only: out.append((name % 'predict',) + median_ms(predict, runs))
    return out


def gpu_figures(device, batches, runs=5):
    """The full CADDM ResNet-34 at 224 on a GPU: train step and forward per batch size,
    synchronised before each clock read. Names: caddm_resnet34_{train,predict}_224_b{B}_cuda."""
    import torch
    F = torch.nn.functional
    out = []
    m = build(torch, (64, 128, 256, 512), 2).to(device)
    opt = torch.optim.Adam(m.parameters(), 1e-3)
    for b in batches:
        x = torch.randn(b, 3, 224, 224, device=device)
        y = torch.tensor([i % 2 for i in range(b)], device=device)

        def train():
            opt.zero_grad()
            loc, conf, logits = m(x)
            det = F.smooth_l1_loss(loc, torch.zeros_like(loc)) + F.cross_entropy(conf.reshape(-1, 2), torch.zeros(conf.shape[0] * conf.shape[1], dtype=torch.long, device=device))
            (F.cross_entropy(logits, y) + 0.1 * det).backward()
            opt.step()
            torch.cuda.synchronize()

        def predict():
            with torch.no_grad():
                m.eval(); torch.softmax(m(x)[2], 1); m.train()
            torch.cuda.synchronize()

        out.append(('caddm_resnet34_train_224_b%d_cuda' % b,) + median_ms(train, runs, warm=3))
        out.append(('caddm_resnet34_predict_224_b%d_cuda' % b,) + median_ms(predict, runs, warm=3))
    return out


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--only', default='caddm_resnet34_train_224_b8,caddm_resnet34_predict_224_b8,caddm_small_resnet34_112_train_b8,caddm_small_resnet34_112_predict_b8')
    p.add_argument('--device', default='cpu', help='cpu (the figures above) or cuda (tools/gpu/check.sh)')
    p.add_argument('--batches', default='32,128', help='batch sizes of the cuda figures')
    a = p.parse_args()
    rows = gpu_figures(a.device, [int(b) for b in a.batches.split(',')]) if a.device != 'cpu' else figures(set(a.only.split(',')))
    for name, ms, n in rows:
        print(json.dumps({'name': name, 'ms': round(ms, 3), 'runs': n}))
