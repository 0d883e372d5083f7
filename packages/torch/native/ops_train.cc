// Optimiser kernels: the fused Adam(W) step of @caddm/wasm-train's
// FusedAdamOptimizer ('CaddmFusedAdam'), with the same arithmetic.
#include "common.h"

#include <ATen/Parallel.h>

#include <cmath>

namespace caddm {

void registerTrainingLayers(Registry& r);

void registerTrain(Registry& r) {
  registerTrainingLayers(r);
  // inputs: x, m, v, g -> new x, m, v (inputs are never modified).
  r["CaddmFusedAdam"] = [](Args& a) -> Outputs {
    const double lr = a.num("learningRate"), b1 = a.num("beta1"), b2 = a.num("beta2"), eps = a.num("epsilon");
    const double c1 = a.num("correction1"), c2 = a.num("correction2"), wd = a.num("weightDecay", 0);
    const double clipValue = a.num("clipValue", INFINITY);
    at::Tensor x = a[0].contiguous(), m = a[1].contiguous(), v = a[2].contiguous(), g = a[3].contiguous();
    for (const at::Tensor* t : {&x, &m, &v, &g}) {
      if (t->scalar_type() != at::kFloat) throw KernelError("every input must be float32");
      if (t->numel() != x.numel()) throw KernelError("x, m, v and g must have the same number of elements");
    }
    const double decay = 1 - lr * wd, step = lr / c1, root2 = 1 / std::sqrt(c2);
    const bool clip = std::isfinite(clipValue);
    if (x.is_cuda()) {
      at::Tensor gc = clip ? at::clamp(g, -clipValue, clipValue) : g;
      at::Tensor nm = m * b1 + gc * (1 - b1);
      at::Tensor nv = v * b2 + gc * gc * (1 - b2);
      at::Tensor nx = x * decay - nm * step / (at::sqrt(nv) * root2 + eps);
      return {nx, nm, nv};
    }
    // In place where nothing else can see the buffer: tfjs holds one reference to the
    // data (the JavaScript side checks) and no other libtorch tensor views its storage.
    auto owned = [&a](const at::Tensor& t, const char* flag) {
      return a.flag(flag) && t.is_contiguous() && t.storage().use_count() == 1 && t.storage_offset() == 0;
    };
    at::Tensor nx = owned(x, "ownsX") ? x : at::empty_like(x);
    at::Tensor nm = owned(m, "ownsM") ? m : at::empty_like(m);
    at::Tensor nv = owned(v, "ownsV") ? v : at::empty_like(v);
    const float *xs = x.data_ptr<float>(), *ms = m.data_ptr<float>(), *vs = v.data_ptr<float>(), *gs = g.data_ptr<float>();
    float *ox = nx.data_ptr<float>(), *om = nm.data_ptr<float>(), *ov = nv.data_ptr<float>();
    // float arithmetic (vectorised by the compiler); the wasm kernel's double arithmetic
    // agrees to float rounding.
    const float fb1 = b1, fb2 = b2, fc1 = 1 - b1, fc2 = 1 - b2, fdecay = decay, fstep = step, froot2 = root2, feps = eps;
    const float lo = clip ? -clipValue : -INFINITY, hi = clip ? clipValue : INFINITY;
    at::parallel_for(0, x.numel(), 32768, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; i++) {
        const float gi = std::min(hi, std::max(lo, gs[i]));
        const float mi = fb1 * ms[i] + fc1 * gi;
        const float vi = fb2 * vs[i] + fc2 * gi * gi;
        om[i] = mi;
        ov[i] = vi;
        ox[i] = xs[i] * fdecay - (fstep * mi) / (std::sqrt(vi) * froot2 + feps);
      }
    });
    return {nx, nm, nv};
  };
}

}  // namespace caddm

namespace caddm {

namespace {

// Channels move to dim 1 (NHWC -> a channels_last NCHW view; [N, C] stays).
at::Tensor channelsFirst(const at::Tensor& x) { return x.dim() == 2 ? x : x.movedim(-1, 1); }
at::Tensor channelsLast(const at::Tensor& x) { return x.dim() == 2 ? x : x.movedim(1, -1); }

}  // namespace

void registerTrainingLayers(Registry& r) {
  // Batch norm in training mode over every axis but the last (what @caddm/wasm-train's
  // batchNormTraining computes): inputs x, gamma, beta -> y, mean, biased variance, 1/sqrt(var + eps).
  r["CaddmBatchNormTraining"] = [](Args& a) -> Outputs {
    const double eps = a.num("epsilon");
    auto out = at::native_batch_norm(channelsFirst(a[0]), a[1], a[2], {}, {}, true, 0.0, eps);
    const at::Tensor& invstd = std::get<2>(out);
    at::Tensor variance = invstd.pow(-2) - eps;
    return {channelsLast(std::get<0>(out)), std::get<1>(out), variance, invstd};
  };
  // inputs dy, x, gamma, mean, invstd -> dx, dgamma, dbeta.
  r["CaddmBatchNormTrainingGrad"] = [](Args& a) -> Outputs {
    const double eps = a.num("epsilon");
    auto g = at::native_batch_norm_backward(channelsFirst(a[0]), channelsFirst(a[1]), a[2], {}, {}, a[3], a[4], true,
                                            eps, {true, true, true});
    return {channelsLast(std::get<0>(g)), std::get<1>(g), std::get<2>(g)};
  };
  // The gradient of relu: dy where x > 0, else 0 (one pass instead of step, cast and multiply).
  r["CaddmReluGrad"] = [](Args& a) -> Outputs {
    const at::Tensor &dy = a[0], &x = a[1];
    return {at::threshold_backward(dy, x, 0)};
  };
}

}  // namespace caddm
