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
    at::Tensor nx = at::empty_like(x), nm = at::empty_like(m), nv = at::empty_like(v);
    const float *xs = x.data_ptr<float>(), *ms = m.data_ptr<float>(), *vs = v.data_ptr<float>(), *gs = g.data_ptr<float>();
    float *ox = nx.data_ptr<float>(), *om = nm.data_ptr<float>(), *ov = nv.data_ptr<float>();
    at::parallel_for(0, x.numel(), 16384, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; i++) {
        double gi = gs[i];
        if (clip) gi = gi > clipValue ? clipValue : gi < -clipValue ? -clipValue : gi;
        const double mi = b1 * ms[i] + (1 - b1) * gi;
        const double vi = b2 * vs[i] + (1 - b2) * gi * gi;
        om[i] = static_cast<float>(mi);
        ov[i] = static_cast<float>(vi);
        ox[i] = static_cast<float>(xs[i] * decay - (step * mi) / (std::sqrt(vi) * root2 + eps));
      }
    });
    return {nx.view(a[0].sizes()), nm.view(a[0].sizes()), nv.view(a[0].sizes())};
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
