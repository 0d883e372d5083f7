#!/usr/bin/python3
"""Regenerates torch-iou-ties.json: float32 IoUs from PyTorch's SSD `jaccard`
(the reference's code path) for MFS-like window boxes whose IoU with some
default anchor is within 1e-3 of 0.5, so the tests pin tie-breaking to torch's
float32 arithmetic. Run: /usr/bin/python3 torch-iou-ties.py > torch-iou-ties.json"""
import json, random
from itertools import product
import torch

mean = []
for k, fm in enumerate([7, 5, 3, 1]):
    st, mn, mx = [32, 45, 75, 224][k], [40, 80, 120, 224][k], [80, 120, 160, 224][k]
    for i, j in product(range(fm), repeat=2):
        fk = 224 / st
        cx, cy = (j + 0.5) / fk, (i + 0.5) / fk
        mean += [cx, cy, mn / 224, mx / 224, cx, cy, mx / 224, mn / 224]
P = torch.Tensor(mean).view(-1, 4).clamp_(max=1, min=0)
pf = torch.cat((P[:, :2] - P[:, 2:] / 2, P[:, :2] + P[:, 2:] / 2), 1)

def jaccard(a, b):
    A, B = a.size(0), b.size(0)
    mx = torch.min(a[:, 2:].unsqueeze(1).expand(A, B, 2), b[:, 2:].unsqueeze(0).expand(A, B, 2))
    mn = torch.max(a[:, :2].unsqueeze(1).expand(A, B, 2), b[:, :2].unsqueeze(0).expand(A, B, 2))
    i = torch.clamp(mx - mn, min=0)
    inter = i[:, :, 0] * i[:, :, 1]
    aa = ((a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])).unsqueeze(1).expand_as(inter)
    bb = ((b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])).unsqueeze(0).expand_as(inter)
    return inter / (aa + bb - inter)

random.seed(3)
cases = []
while len(cases) < 40:
    h, w = random.choice([(40, 80), (80, 120), (120, 160)])
    if random.random() < 0.5:
        h, w = w, h
    y, x = random.randint(0, 224 - h), random.randint(0, 224 - w)
    t = [x / 224, y / 224, (x + w) / 224, (y + h) / 224]
    J = jaccard(torch.Tensor([t]), pf)[0]
    near = [(i, J[i].item()) for i in range(J.numel()) if abs(J[i].item() - 0.5) < 1e-3]
    if near:
        cases.append({'truth': t, 'near': near})
print(json.dumps({'_about': __doc__.split('\n')[0], 'torch': torch.__version__, 'cases': cases}))
