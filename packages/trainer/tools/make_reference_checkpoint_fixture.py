#!/usr/bin/env python3
"""Writes src/__fixtures__/reference-caddm/: a CADDM checkpoint in the authors' layout and the
outputs their network gives on one image, for `caddm import-weights` (src/import-weights.test.ts).

The network is the reference's CADDM (megvii-research/CADDM, backbones/caddm.py and adm.py) as
described in ../shared/REFERENCE.md, with the reference's module names, so its state dict has the
authors' keys: a torchvision-layout ResNet-34 under `base_model.` that keeps torchvision's unused
ImageNet classifier (`base_model.fc`, 1000 classes), the Artifact Detection Module under `adm.`
(three extra blocks, 7 -> 7 -> 5 -> 3, an end block 3 -> 1, box and class heads on all four maps,
two anchors per cell) and the short connection's linear layer `fc`. Only the channel widths are
narrowed (1/32: 2, 4, 8, 16) so that the files are small enough to commit; the input stays 224 px.

Files:
  epoch_0.pkl            torch.save({'network': <'module.'-prefixed state dict>, 'opt_state': ...,
                         'epoch': 0}), as the authors' train.py saves from a DataParallel model
  outputs.safetensors    image_bgr (uint8 [224, 224, 3], what cv2.imread gives), and the eval-mode
                         outputs on it fed as the released test code feeds it (raw 0-255 BGR
                         values, NCHW): loc [1, 168, 4], conf [1, 168, 2], logits [1, 2], prob [1, 2]

Needs Debian's python3-torch (no torchvision):
    /usr/bin/python3 packages/trainer/tools/make_reference_checkpoint_fixture.py
Seeded, so a rerun gives the same tensors.
"""
import collections
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'backbones', 'tools'))
from safetensors_io import write_safetensors  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'src', '__fixtures__', 'reference-caddm')
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(20230618)
nn = torch.nn
WIDTHS = (2, 4, 8, 16)


class BasicBlock(nn.Module):  # torchvision's
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(y + (x if self.downsample is None else self.downsample(x)))


class ResNet34(nn.Module):  # torchvision's layout, classifier kept
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, WIDTHS[0], 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(WIDTHS[0])
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        cin = WIDTHS[0]
        for i, (w, n) in enumerate(zip(WIDTHS, (3, 4, 6, 3))):
            blocks = []
            for j in range(n):
                blocks.append(BasicBlock(cin, w, 2 if j == 0 and i > 0 else 1))
                cin = w
            setattr(self, f'layer{i + 1}', nn.Sequential(*blocks))
        self.fc = nn.Linear(cin, 1000)

    def features(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        return self.layer4(self.layer3(self.layer2(self.layer1(x))))


class ExtraBlock(nn.Module):  # ADM_ExtraBlock
    def __init__(self, c, k):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, k, 1, 0, bias=True)
        self.bn1 = nn.BatchNorm2d(c)
        self.conv2 = nn.Conv2d(c, c, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c)
        self.downsample = nn.Sequential(nn.Conv2d(c, c, k, 1, 0, bias=False), nn.BatchNorm2d(c))

    def forward(self, x):
        return torch.relu(self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x))))) + self.downsample(x))


class EndBlock(nn.Module):  # ADM_EndBlock
    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, 1, 0)
        self.conv2 = nn.Conv2d(c, c, 1, 1, 0)
        self.downsample = nn.Conv2d(c, c, 3, 1, 0)

    def forward(self, x):
        return torch.relu(self.conv2(torch.relu(self.conv1(x))) + self.downsample(x))


class MultiScaleDetection(nn.Module):
    def __init__(self, c):
        super().__init__()
        k = lambda i: dict(kernel_size=3, padding=1) if i < 3 else dict(kernel_size=1, padding=0)  # noqa: E731
        self.ms_dets = nn.ModuleList([nn.Conv2d(c, 2 * 4, **k(i)) for i in range(4)])
        self.ms_cls = nn.ModuleList([nn.Conv2d(c, 2 * 2, **k(i)) for i in range(4)])


class Adm(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.adm_extra_layers = nn.ModuleList([nn.Sequential(ExtraBlock(c, 1)), nn.Sequential(ExtraBlock(c, 3)),
                                               nn.Sequential(ExtraBlock(c, 3)), EndBlock(c)])
        self.multi_scale_detection_module = MultiScaleDetection(c)

    def forward(self, f):
        b = f.shape[0]
        locs, confs = [], []
        for i, layer in enumerate(self.adm_extra_layers):
            f = layer(f)
            locs.append(self.multi_scale_detection_module.ms_dets[i](f).permute(0, 2, 3, 1).reshape(b, -1, 4))
            confs.append(self.multi_scale_detection_module.ms_cls[i](f).permute(0, 2, 3, 1).reshape(b, -1, 2))
        return torch.cat(locs, 1), torch.cat(confs, 1), f


class Caddm(nn.Module):
    def __init__(self):
        super().__init__()
        self.base_model = ResNet34()
        self.adm = Adm(WIDTHS[-1])
        self.fc = nn.Linear(WIDTHS[-1], 2)

    def forward(self, x):
        f = self.base_model.features(x)
        loc, conf, last = self.adm(f)
        logits = self.fc(f.mean((2, 3)) + last.flatten(1))
        return loc, conf, logits


net = Caddm()
# Batch-norm statistics away from 0/1, so that a loader that ignores them fails; scaled down so
# that raw 0-255 input keeps the activations in a range float32 compares well at 1e-4.
for m in net.modules():
    if isinstance(m, nn.BatchNorm2d):
        m.running_mean.normal_(0, 0.5)
        m.running_var.uniform_(0.5, 2.0)
        m.weight.data.uniform_(0.5, 1.5)
        m.bias.data.normal_(0, 0.2)
        m.num_batches_tracked.fill_(5)
with torch.no_grad():
    net.base_model.conv1.weight.mul_(1 / 255)

# One image as cv2.imread gives it (uint8 BGR, HWC): smooth gradients plus noise.
yy, xx = torch.meshgrid(torch.arange(224.0), torch.arange(224.0), indexing='ij')
img = torch.stack([128 + 100 * torch.sin(xx / 23), 128 + 90 * torch.cos(yy / 31), (xx + yy) / 2], -1)
img = (img + 20 * torch.randn(224, 224, 3)).clamp(0, 255).round().to(torch.uint8)

net.eval()
with torch.no_grad():
    x = img.permute(2, 0, 1).unsqueeze(0).float()  # the released test code: raw BGR values, NCHW
    loc, conf, logits = net(x)
    prob = torch.softmax(logits, 1)

# The authors' train.py saves a DataParallel model (hence 'module.') with the optimiser's state.
opt = torch.optim.SGD(net.parameters(), lr=1e-3)
network = collections.OrderedDict(('module.' + k, v) for k, v in net.state_dict().items())
torch.save({'network': network, 'opt_state': opt.state_dict(), 'epoch': 0}, os.path.join(OUT, 'epoch_0.pkl'))
write_safetensors(collections.OrderedDict(image_bgr=img, loc=loc, conf=conf, logits=logits, prob=prob),
                  os.path.join(OUT, 'outputs.safetensors'))
print(f'wrote {OUT}: {sum(p.numel() for p in net.parameters())} parameters; P(fake) = {prob[0, 1].item():.6f}')
