#!/usr/bin/python3
"""PyTorch's achieved convolution rate, the baseline of packages/wasm-train/bench/roofline.ts.

One 3x3 convolution, 128 -> 128 channels, batch 8 at 28x28 (a ResNet-34 layer2 convolution,
1.85 GFLOP of direct convolution), forward, 2 threads, reported as milliseconds per GFLOP
(median of 9 after 2 warm-ups).

Timed after one backward pass, as in training: on Debian's PyTorch 1.13 the same forward runs
about 5x faster once a backward pass has run (measured: 26 ms before, 5 ms after), at an effective
rate above what direct convolution can reach with AVX2 FMAs here, i.e. a reduced-arithmetic
algorithm (Winograd) takes over. The training-step baselines of ../shared/bench/baseline.py run
in that regime.

Needs Debian's python3-torch. Run:  /usr/bin/python3 bench/baselines/roofline.py
Prints one JSON line: {"name": "torch_conv3x3_1gflop", "ms", "runs"}.
"""
import json, time


def main():
    import torch
    torch.set_num_threads(2)
    conv = torch.nn.Conv2d(128, 128, 3, padding=1, bias=False)
    x = torch.randn(8, 128, 28, 28, requires_grad=True)
    y = conv(x)
    torch.autograd.grad(y, [x, conv.weight], torch.randn_like(y))
    gflop = 2 * 8 * 28 * 28 * 128 * 128 * 9 / 1e9
    with torch.no_grad():
        for _ in range(2):
            conv(x)
        ts = []
        for _ in range(9):
            s = time.perf_counter()
            conv(x)
            ts.append((time.perf_counter() - s) * 1000)
    ts.sort()
    print(json.dumps({'name': 'torch_conv3x3_1gflop', 'ms': round(ts[4] / gflop, 3), 'runs': 9}))


if __name__ == '__main__':
    main()
