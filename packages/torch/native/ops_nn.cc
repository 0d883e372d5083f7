// Network kernels on NHWC data: convolutions (plain, depthwise, fused, and
// their gradients), pooling and its gradients, matrix products, inference
// batch norm and softmax. NHWC tensors are viewed as channels_last NCHW, so
// libtorch's convolutions read them in place; tfjs' HWIO filters become OIHW.
#include "common.h"

#include <torch/autograd.h>

namespace caddm {

namespace {

// Convolution/pooling geometry, as resolved by tfjs' computeConv2DInfo.
struct Geometry {
  int64_t top, bottom, left, right;
  std::vector<int64_t> stride, dilation;
  bool symmetric() const { return top == bottom && left == right; }
  std::vector<int64_t> pad() const { return symmetric() ? std::vector<int64_t>{top, left} : std::vector<int64_t>{0, 0}; }
};

Geometry geometry(const Args& a) {
  auto p = a.ints("pads");
  if (p.size() != 4) throw KernelError("pads must be [top, bottom, left, right]");
  Geometry g{p[0], p[1], p[2], p[3], a.ints("strides"), a.has("dilations") ? a.ints("dilations") : std::vector<int64_t>{1, 1}};
  return g;
}

// Pads NHWC spatial dims explicitly (only when the padding is asymmetric).
at::Tensor padNhwc(const at::Tensor& x, const Geometry& g, double value = 0) {
  if (g.symmetric()) return x;
  return at::constant_pad_nd(x, {0, 0, g.left, g.right, g.top, g.bottom}, value);
}

// HWIO -> OIHW (channels_last), or a depthwise [kh, kw, C, M] -> [C*M, 1, kh, kw].
at::Tensor filterOihw(const at::Tensor& w, bool depthwise) {
  if (depthwise) {
    return w.reshape({w.size(0), w.size(1), w.size(2) * w.size(3)}).permute({2, 0, 1}).unsqueeze(1).contiguous();
  }
  return w.permute({3, 2, 0, 1}).contiguous(at::MemoryFormat::ChannelsLast);
}

at::Tensor filterHwio(const at::Tensor& gw, bool depthwise, at::IntArrayRef shape) {
  if (depthwise) return gw.reshape({shape[2], shape[3], shape[0], shape[1]}).permute({2, 3, 0, 1});
  return gw.permute({2, 3, 1, 0});
}

at::Tensor convForward(const Args& a, const at::Tensor& x, const at::Tensor& w, bool depthwise,
                       const c10::optional<at::Tensor>& bias) {
  Geometry g = geometry(a);
  at::Tensor wt = filterOihw(w, depthwise);
  int64_t groups = depthwise ? x.size(3) : 1;
  at::Tensor y = at::conv2d(toNchw(padNhwc(x, g)), wt, bias, g.stride, g.pad(), g.dilation, groups);
  return toNhwc(y);
}

// The input gradient through convolution_backward (libtorch's backward-data
// path): as conv_transpose2d it ran up to 20x slower on channels_last CPU data.
// Only the input's sizes are read, so it is an uninitialised placeholder.
at::Tensor convInputGrad(const Args& a, const at::Tensor& dy, const at::Tensor& w, bool depthwise) {
  Geometry g = geometry(a);
  auto in = a.ints("inputShape");  // [N, H, W, C]
  at::Tensor wt = filterOihw(w, depthwise);
  int64_t hp = in[1] + g.top + g.bottom, wp = in[2] + g.left + g.right;
  std::vector<int64_t> padded = g.symmetric() ? std::vector<int64_t>{in[0], in[3], in[1], in[2]}
                                              : std::vector<int64_t>{in[0], in[3], hp, wp};
  at::Tensor placeholder = at::empty(padded, dy.options().memory_format(at::MemoryFormat::ChannelsLast));
  int64_t groups = depthwise ? in[3] : 1;
  auto r = at::convolution_backward(toNchw(dy), placeholder, wt, c10::nullopt, g.stride, g.pad(), g.dilation, false,
                                    {0, 0}, groups, {true, false, false});
  at::Tensor gx = std::get<0>(r);
  if (!g.symmetric()) gx = gx.narrow(2, g.top, in[1]).narrow(3, g.left, in[2]);
  return toNhwc(gx);
}

at::Tensor convFilterGrad(const Args& a, const at::Tensor& x, const at::Tensor& dy, bool depthwise) {
  Geometry g = geometry(a);
  auto fs = a.ints("filterShape");  // [kh, kw, in, out or multiplier]
  int64_t groups = depthwise ? x.size(3) : 1;
  std::vector<int64_t> oihw = depthwise ? std::vector<int64_t>{fs[2] * fs[3], 1, fs[0], fs[1]}
                                        : std::vector<int64_t>{fs[3], fs[2], fs[0], fs[1]};
  at::Tensor placeholder = at::empty(oihw, x.options());
  auto r = at::convolution_backward(toNchw(dy), toNchw(padNhwc(x, g)), placeholder, c10::nullopt, g.stride,
                                    g.pad(), g.dilation, false, {0, 0}, groups, {false, true, false});
  return filterHwio(std::get<1>(r), depthwise, fs);
}

// Max pooling's input as an NCHW view, padded with -inf where libtorch's own padding cannot
// serve (asymmetric, or more than half the window), and the padding left to libtorch.
struct PoolInput {
  at::Tensor x;
  std::vector<int64_t> pad;
  bool padded;
};

PoolInput maxPoolInput(const Geometry& g, at::IntArrayRef k, const at::Tensor& x) {
  if (g.symmetric() && g.top * 2 <= k[0] && g.left * 2 <= k[1]) return {toNchw(x), {g.top, g.left}, false};
  return {toNchw(at::constant_pad_nd(x, {0, 0, g.left, g.right, g.top, g.bottom}, -INFINITY)), {0, 0}, true};
}

at::Tensor maxPool(const Args& a, const at::Tensor& x) {
  Geometry g = geometry(a);
  auto k = a.ints("filterSize");
  PoolInput in = maxPoolInput(g, k, x);
  return toNhwc(at::max_pool2d(in.x, k, g.stride, in.pad));
}

at::Tensor avgPool(const Args& a, const at::Tensor& x) {
  Geometry g = geometry(a);
  auto k = a.ints("filterSize");
  if (g.symmetric() && g.top * 2 <= k[0] && g.left * 2 <= k[1]) {
    return toNhwc(at::avg_pool2d(toNchw(x), k, g.stride, {g.top, g.left}, false, /*count_include_pad=*/false));
  }
  // Mean over the in-bounds taps only: pooled sums divided by pooled counts.
  at::Tensor sums = at::avg_pool2d(toNchw(padNhwc(x, g)), k, g.stride, {0, 0}, false, true);
  at::Tensor mask = at::constant_pad_nd(at::ones({1, 1, x.size(1), x.size(2)}, x.options()),
                                        {g.left, g.right, g.top, g.bottom}, 0);
  at::Tensor counts = at::avg_pool2d(mask, k, g.stride, {0, 0}, false, true);
  return toNhwc(sums / counts);
}

// d(f(x))/dx · dy through libtorch's autograd.
at::Tensor vjp(const std::function<at::Tensor(const at::Tensor&)>& f, const at::Tensor& x, const at::Tensor& dy) {
  at::Tensor leaf = x.detach().requires_grad_(true);
  at::Tensor y = f(leaf);
  auto g = torch::autograd::grad({y}, {leaf}, {dy}, /*retain_graph=*/false, /*create_graph=*/false);
  return g[0];
}

at::Tensor matmul(const Args& a, const at::Tensor& x, const at::Tensor& y) {
  at::Tensor l = a.flag("transposeA") ? x.transpose(-2, -1) : x;
  at::Tensor r = a.flag("transposeB") ? y.transpose(-2, -1) : y;
  return at::matmul(l, r);
}

c10::optional<at::Tensor> optionalInput(const Args& a, const char* flag, size_t& next) {
  if (!a.flag(flag)) return c10::nullopt;
  return a.in.at(next++);
}

}  // namespace

void registerNn(Registry& r) {
  r["Conv2D"] = [](Args& a) -> Outputs { return {convForward(a, a[0], a[1], false, c10::nullopt)}; };
  r["DepthwiseConv2dNative"] = [](Args& a) -> Outputs { return {convForward(a, a[0], a[1], true, c10::nullopt)}; };
  // inputs: x, filter, [bias], [preluActivationWeights]
  auto fused = [](bool depthwise) {
    return [depthwise](Args& a) -> Outputs {
      size_t next = 2;
      auto bias = optionalInput(a, "hasBias", next);
      auto prelu = optionalInput(a, "hasPrelu", next);
      // The bias is added after the convolution: oneDNN's biased channels_last convolution ran
      // up to 4x slower on the ADM's small heads (7x7x128 -> 8 channels) than conv + add.
      at::Tensor y = convForward(a, a[0], a[1], depthwise, c10::nullopt);
      if (bias) y.add_(*bias);  // y is the convolution's own fresh output
      return {applyActivation(y, a, prelu ? &*prelu : nullptr)};
    };
  };
  r["FusedConv2D"] = fused(false);
  r["FusedDepthwiseConv2D"] = fused(true);
  r["Conv2DBackpropInput"] = [](Args& a) -> Outputs { return {convInputGrad(a, a[0], a[1], false)}; };
  r["DepthwiseConv2dNativeBackpropInput"] = [](Args& a) -> Outputs { return {convInputGrad(a, a[0], a[1], true)}; };
  r["Conv2DBackpropFilter"] = [](Args& a) -> Outputs { return {convFilterGrad(a, a[0], a[1], false)}; };
  r["DepthwiseConv2dNativeBackpropFilter"] = [](Args& a) -> Outputs { return {convFilterGrad(a, a[0], a[1], true)}; };

  r["MaxPool"] = [](Args& a) -> Outputs { return {maxPool(a, a[0])}; };
  r["AvgPool"] = [](Args& a) -> Outputs { return {avgPool(a, a[0])}; };
  // inputs: dy, x (, y): recomputes the argmax positions (tfjs keeps none), then scatters dy.
  r["MaxPoolGrad"] = [](Args& a) -> Outputs {
    Geometry g = geometry(a);
    auto k = a.ints("filterSize");
    const at::Tensor& x = a[1];
    PoolInput in = maxPoolInput(g, k, x);
    auto yi = at::max_pool2d_with_indices(in.x, k, g.stride, in.pad);
    at::Tensor gx = at::max_pool2d_with_indices_backward(toNchw(a[0]), in.x, k, g.stride, in.pad, {1, 1}, false, std::get<1>(yi));
    if (in.padded) gx = gx.narrow(2, g.top, x.size(1)).narrow(3, g.left, x.size(2));
    return {toNhwc(gx)};
  };
  // tfjs' AvgPoolGrad (every backend) spreads dy over the whole window, padding
  // included, although its forward pass averages the in-bounds taps only; the
  // same here, so that gradients agree across backends.
  r["AvgPoolGrad"] = [](Args& a) -> Outputs {
    Geometry g = geometry(a);
    auto k = a.ints("filterSize");
    const at::Tensor& x = a[1];
    at::Tensor gx = vjp([&](const at::Tensor& xp) {
      return at::avg_pool2d(toNchw(xp), k, g.stride, {0, 0}, false, /*count_include_pad=*/true);
    }, at::constant_pad_nd(x, {0, 0, g.left, g.right, g.top, g.bottom}, 0), toNchw(a[0]));
    return {gx.narrow(1, g.top, x.size(1)).narrow(2, g.left, x.size(2))};
  };

  r["BatchMatMul"] = [](Args& a) -> Outputs { return {matmul(a, a[0], a[1])}; };
  // inputs: a, b, [bias], [preluActivationWeights]
  r["_FusedMatMul"] = [](Args& a) -> Outputs {
    size_t next = 2;
    auto bias = optionalInput(a, "hasBias", next);
    auto prelu = optionalInput(a, "hasPrelu", next);
    at::Tensor y = matmul(a, a[0], a[1]);
    if (bias) y = y + *bias;
    return {applyActivation(y, a, prelu ? &*prelu : nullptr)};
  };
  // inputs: x, mean, variance, [offset], [scale]: (x - mean) * scale / sqrt(variance + eps) + offset
  r["FusedBatchNorm"] = [](Args& a) -> Outputs {
    size_t next = 3;
    auto offset = optionalInput(a, "hasOffset", next);
    auto scale = optionalInput(a, "hasScale", next);
    at::Tensor gain = at::rsqrt(a[2] + a.num("varianceEpsilon", 0.001));
    if (scale) gain = gain * *scale;
    at::Tensor y = (a[0] - a[1]) * gain;
    if (offset) y = y + *offset;
    return {y};
  };
  r["Softmax"] = [](Args& a) -> Outputs { return {at::softmax(a[0], static_cast<int64_t>(a.num("dim", -1)))}; };
}

}  // namespace caddm
