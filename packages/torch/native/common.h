// Shared declarations of the @caddm/torch addon: how a kernel receives its
// inputs and attributes, and how kernels are registered by name.
#pragma once

#include <napi.h>
#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace caddm {

// A kernel call: the input tensors (already looked up from their handles) and
// the attribute object passed from JavaScript.
struct Args {
  std::vector<at::Tensor> in;
  Napi::Object attrs;
  at::TensorOptions floatOptions;  // float32 on the current device

  const at::Tensor& operator[](size_t i) const { return in.at(i); }
  bool has(const char* key) const;
  double num(const char* key) const;
  double num(const char* key, double fallback) const;
  bool flag(const char* key, bool fallback = false) const;
  std::string str(const char* key, const std::string& fallback = "") const;
  std::vector<int64_t> ints(const char* key) const;
  // The dtype named by a tfjs dtype string attribute ('float32', 'int32', 'bool').
  at::ScalarType dtype(const char* key) const;
};

using Outputs = std::vector<at::Tensor>;
using Kernel = std::function<Outputs(Args&)>;
using Registry = std::unordered_map<std::string, Kernel>;

// tfjs dtype names <-> libtorch scalar types.
at::ScalarType scalarTypeOf(const std::string& tfDtype);

// Thrown for bad kernel arguments; becomes a JavaScript Error.
struct KernelError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Each ops file adds its kernels to the registry.
void registerElementwise(Registry& r);
void registerShape(Registry& r);
void registerReduce(Registry& r);
void registerNn(Registry& r);
void registerTrain(Registry& r);

// NHWC <-> NCHW views (no copy; an NHWC-contiguous tensor viewed as NCHW is channels_last).
inline at::Tensor toNchw(const at::Tensor& x) { return x.permute({0, 3, 1, 2}); }
inline at::Tensor toNhwc(const at::Tensor& y) { return y.permute({0, 2, 3, 1}); }

// The activation named by a fused kernel's `activation` attribute.
at::Tensor applyActivation(const at::Tensor& y, const Args& a, const at::Tensor* prelu);

}  // namespace caddm
