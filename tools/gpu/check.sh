#!/usr/bin/env bash
# The torch backend on a GPU machine that has python3 with a CUDA torch, g++, but no Node and
# no network. Run from the repository root after `node tools/gpu/prepare.mjs` here, carrying
# tools/gpu/carry. It unpacks Node, builds the addon against python3's torch (CUDA included),
# runs every kernel check on the device against tfjs' cpu backend, then times the CADDM
# ResNet-34 (224) train step and forward at batch 32 and 128, beside PyTorch on the same GPU.
# Results go to $OUT (default ./gpu-out): check.jsonl, pytorch.jsonl, build.log.
# CADDM_DEVICE=cpu runs the same on the CPU (how this script is tested without a GPU).
set -euo pipefail
cd "$(dirname "$0")/../.."
carry=tools/gpu/carry
out=${OUT:-gpu-out}
mkdir -p "$out"
[ -f "$carry/node.tgz" ] || { echo "check.sh: $carry/node.tgz missing; run 'node tools/gpu/prepare.mjs' first and carry $carry"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar xzf "$carry/node.tgz" -C "$work"
node_bin=$(find "$work" -path '*/bin/node' -type f | head -1)
[ -x "$node_bin" ] || { echo "check.sh: no bin/node in $carry/node.tgz"; exit 2; }
echo "== node $("$node_bin" --version); $(python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "devices", torch.cuda.device_count())' 2>&1 | tail -1)"
echo "== building the addon against python3's torch"
export CADDM_BUILD_JOBS=${CADDM_BUILD_JOBS:-$(nproc)}
if ! "$node_bin" "$carry/torch/scripts/build-addon.mjs" --force > "$out/build.log" 2>&1; then
  echo "== C++17 build failed (tail of $out/build.log below); retrying with C++20"
  tail -5 "$out/build.log"
  CADDM_CXX_STD=c++20 "$node_bin" "$carry/torch/scripts/build-addon.mjs" --force >> "$out/build.log" 2>&1 \
    || { echo "check.sh: the addon does not build; see $out/build.log"; tail -30 "$out/build.log"; exit 3; }
fi
tail -2 "$out/build.log"
export CADDM_TORCH_ADDON="$PWD/$carry/torch/build/caddm_torch.node" CADDM_DEVICE=${CADDM_DEVICE:-cuda} CADDM_QUIET=1
echo "== kernel checks and timings on $CADDM_DEVICE"
set +e
"$node_bin" "$carry/check.mjs" | tee "$out/check.jsonl"
status=${PIPESTATUS[0]}
set -e
if [ "$CADDM_DEVICE" = cuda ]; then
  echo "== PyTorch on the same GPU"
  python3 bench/baselines/caddm.py --device cuda --batches "${CADDM_GPU_BATCHES:-32,128}" | tee "$out/pytorch.jsonl"
fi
exit "$status"
