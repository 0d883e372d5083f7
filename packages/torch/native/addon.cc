// The @caddm/torch Node-API addon: a table of libtorch tensors addressed by
// integer handles, and one entry point that runs a named kernel on them.
// Every libtorch or argument error becomes a JavaScript Error that names the
// kernel and the input shapes; nothing here aborts the process.
#include "common.h"

#include <torch/cuda.h>
#include <torch/version.h>
#include <ATen/Parallel.h>

#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <sstream>

namespace caddm {

bool Args::has(const char* key) const {
  if (!attrs.Has(key)) return false;
  Napi::Value v = attrs.Get(key);
  return !v.IsUndefined() && !v.IsNull();
}

double Args::num(const char* key) const {
  if (!has(key)) throw KernelError(std::string("missing attribute '") + key + "'");
  Napi::Value v = attrs.Get(key);
  if (v.IsBoolean()) return v.As<Napi::Boolean>().Value() ? 1 : 0;
  if (!v.IsNumber()) throw KernelError(std::string("attribute '") + key + "' is not a number");
  return v.As<Napi::Number>().DoubleValue();
}

double Args::num(const char* key, double fallback) const { return has(key) ? num(key) : fallback; }

bool Args::flag(const char* key, bool fallback) const {
  if (!has(key)) return fallback;
  Napi::Value v = attrs.Get(key);
  if (v.IsBoolean()) return v.As<Napi::Boolean>().Value();
  if (v.IsNumber()) return v.As<Napi::Number>().DoubleValue() != 0;
  throw KernelError(std::string("attribute '") + key + "' is not a boolean");
}

std::string Args::str(const char* key, const std::string& fallback) const {
  if (!has(key)) return fallback;
  Napi::Value v = attrs.Get(key);
  if (!v.IsString()) throw KernelError(std::string("attribute '") + key + "' is not a string");
  return v.As<Napi::String>().Utf8Value();
}

std::vector<int64_t> Args::ints(const char* key) const {
  if (!has(key)) throw KernelError(std::string("missing attribute '") + key + "'");
  Napi::Value v = attrs.Get(key);
  std::vector<int64_t> out;
  if (v.IsNumber()) {
    out.push_back(v.As<Napi::Number>().Int64Value());
    return out;
  }
  if (!v.IsArray()) throw KernelError(std::string("attribute '") + key + "' is not a list of integers");
  Napi::Array arr = v.As<Napi::Array>();
  out.reserve(arr.Length());
  for (uint32_t i = 0; i < arr.Length(); i++) {
    Napi::Value e = arr.Get(i);
    if (!e.IsNumber()) throw KernelError(std::string("attribute '") + key + "' holds a non-number");
    out.push_back(e.As<Napi::Number>().Int64Value());
  }
  return out;
}

at::ScalarType scalarTypeOf(const std::string& d) {
  if (d == "float32") return at::kFloat;
  if (d == "int32") return at::kInt;
  if (d == "bool") return at::kBool;
  throw KernelError("dtype '" + d + "' is not supported by the torch backend (float32, int32, bool)");
}

at::ScalarType Args::dtype(const char* key) const { return scalarTypeOf(str(key, "float32")); }

namespace {

int dtypeCode(at::ScalarType s) {
  switch (s) {
    case at::kFloat: return 0;
    case at::kInt: return 1;
    case at::kBool: return 2;
    default: return -1;
  }
}

// tfjs knows float32, int32 and bool: every kernel output is brought back to those.
at::Tensor normalise(const at::Tensor& t) {
  switch (t.scalar_type()) {
    case at::kFloat:
    case at::kInt:
    case at::kBool: return t;
    case at::kDouble:
    case at::kHalf:
    case at::kBFloat16: return t.to(at::kFloat);
    default: return t.to(at::kInt);
  }
}

std::string shapeOf(const at::Tensor& t) {
  std::ostringstream s;
  s << "[";
  for (int64_t i = 0; i < t.dim(); i++) s << (i ? "," : "") << t.size(i);
  s << "]";
  return s.str();
}

std::string firstLine(const std::string& s) {
  size_t n = s.find('\n');
  return n == std::string::npos ? s : s.substr(0, n);
}

}  // namespace

// glibc returns large freed blocks to the kernel (mmap above a threshold, heap
// trimming), so every fresh activation or optimiser buffer page-faults anew: on
// virtual machines that doubled an element-wise op's time. Buffers up to 32 MiB
// (glibc's largest threshold) come from the heap instead, and freed memory stays
// mapped for reuse. CADDM_TORCH_MALLOPT=0 keeps glibc's defaults.
void keepFreedMemory() {
  const char* v = std::getenv("CADDM_TORCH_MALLOPT");
  if (v != nullptr && std::string(v) == "0") return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

class TorchAddon : public Napi::Addon<TorchAddon> {
 public:
  TorchAddon(Napi::Env env, Napi::Object exports) {
    keepFreedMemory();
    registerElementwise(kernels_);
    registerShape(kernels_);
    registerReduce(kernels_);
    registerNn(kernels_);
    registerTrain(kernels_);
    DefineAddon(exports, {
        InstanceMethod("configure", &TorchAddon::Configure),
        InstanceMethod("info", &TorchAddon::Info),
        InstanceMethod("kernels", &TorchAddon::Kernels),
        InstanceMethod("write", &TorchAddon::Write),
        InstanceMethod("read", &TorchAddon::Read),
        InstanceMethod("free", &TorchAddon::Free),
        InstanceMethod("run", &TorchAddon::Run),
        InstanceMethod("live", &TorchAddon::Live),
        InstanceMethod("sync", &TorchAddon::Sync),
    });
  }

 private:
  Registry kernels_;
  std::unordered_map<uint32_t, at::Tensor> handles_;
  uint32_t next_ = 1;
  at::Device device_ = at::kCPU;

  uint32_t keep(const at::Tensor& t) {
    while (next_ == 0 || handles_.count(next_)) next_++;
    uint32_t h = next_++;
    handles_.emplace(h, t);
    return h;
  }

  const at::Tensor& lookup(uint32_t h) const {
    auto it = handles_.find(h);
    if (it == handles_.end()) throw KernelError("unknown tensor handle " + std::to_string(h) + " (already disposed?)");
    return it->second;
  }

  // configure({ device: 'cpu'|'cuda', threads: n }) -> { device, threads }
  Napi::Value Configure(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object o = info.Length() > 0 && info[0].IsObject() ? info[0].As<Napi::Object>() : Napi::Object::New(env);
    try {
      if (o.Has("device") && o.Get("device").IsString()) {
        std::string d = o.Get("device").As<Napi::String>().Utf8Value();
        if (d == "cuda") {
          if (!torch::cuda::is_available()) {
            throw KernelError("CADDM_DEVICE=cuda, but this libtorch sees no CUDA device (CPU-only build, or no driver)");
          }
          device_ = at::Device(at::kCUDA, 0);
        } else if (d == "cpu") {
          device_ = at::kCPU;
        } else {
          throw KernelError("device '" + d + "' is not one of cpu, cuda");
        }
      }
      if (o.Has("threads") && o.Get("threads").IsNumber()) {
        int n = o.Get("threads").As<Napi::Number>().Int32Value();
        if (n < 1) throw KernelError("threads must be at least 1, got " + std::to_string(n));
        at::set_num_threads(n);
      }
    } catch (const std::exception& e) {
      throw Napi::Error::New(env, std::string("torch backend: ") + firstLine(e.what()));
    }
    Napi::Object r = Napi::Object::New(env);
    r.Set("device", device_.is_cuda() ? "cuda" : "cpu");
    r.Set("threads", at::get_num_threads());
    return r;
  }

  Napi::Value Info(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object r = Napi::Object::New(env);
    r.Set("torchVersion", TORCH_VERSION);
    r.Set("cudaAvailable", torch::cuda::is_available());
    r.Set("cudaDevices", static_cast<double>(torch::cuda::device_count()));
    r.Set("device", device_.is_cuda() ? "cuda" : "cpu");
    r.Set("threads", at::get_num_threads());
    return r;
  }

  Napi::Value Kernels(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Array a = Napi::Array::New(env, kernels_.size());
    uint32_t i = 0;
    for (const auto& kv : kernels_) a.Set(i++, kv.first);
    return a;
  }

  // write(typedArray, shape, dtypeCode) -> handle. Copies the values.
  Napi::Value Write(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 3 || !info[0].IsTypedArray() || !info[1].IsArray() || !info[2].IsNumber()) {
      throw Napi::TypeError::New(env, "torch backend: write(values, shape, dtype) got bad arguments");
    }
    Napi::TypedArray ta = info[0].As<Napi::TypedArray>();
    Napi::Array shp = info[1].As<Napi::Array>();
    int code = info[2].As<Napi::Number>().Int32Value();
    std::vector<int64_t> shape;
    int64_t n = 1;
    for (uint32_t i = 0; i < shp.Length(); i++) {
      int64_t d = shp.Get(i).As<Napi::Number>().Int64Value();
      shape.push_back(d);
      n *= d;
    }
    at::ScalarType st = code == 0 ? at::kFloat : code == 1 ? at::kInt : at::kBool;
    size_t elt = code == 2 ? 1 : 4;
    if (static_cast<int64_t>(ta.ElementLength()) != n || ta.ByteLength() != n * elt) {
      throw Napi::Error::New(env, "torch backend: write got " + std::to_string(ta.ElementLength()) +
                                      " values of " + std::to_string(ta.ByteLength() / std::max<size_t>(1, ta.ElementLength())) +
                                      " bytes for a tensor of " + std::to_string(n) + " elements");
    }
    try {
      at::Tensor t = at::empty(shape, at::TensorOptions().dtype(st));
      if (n > 0) {
        auto* src = static_cast<uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
        std::memcpy(t.data_ptr(), src, n * elt);
      }
      if (device_.is_cuda()) t = t.to(device_);
      return Napi::Number::New(env, keep(t));
    } catch (const std::exception& e) {
      throw Napi::Error::New(env, std::string("torch backend: write failed: ") + firstLine(e.what()));
    }
  }

  // read(handle) -> Float32Array | Int32Array | Uint8Array (a copy, row-major).
  Napi::Value Read(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    try {
      const at::Tensor& t0 = lookup(info[0].As<Napi::Number>().Uint32Value());
      at::Tensor t = t0.to(at::kCPU).contiguous();
      size_t n = static_cast<size_t>(t.numel());
      int code = dtypeCode(t.scalar_type());
      size_t bytes = n * (code == 2 ? 1 : 4);
      Napi::ArrayBuffer buf = Napi::ArrayBuffer::New(env, bytes);
      if (bytes > 0) std::memcpy(buf.Data(), t.data_ptr(), bytes);
      if (code == 0) return Napi::Float32Array::New(env, n, buf, 0);
      if (code == 1) return Napi::Int32Array::New(env, n, buf, 0);
      return Napi::Uint8Array::New(env, n, buf, 0);
    } catch (const std::exception& e) {
      throw Napi::Error::New(env, std::string("torch backend: read failed: ") + firstLine(e.what()));
    }
  }

  Napi::Value Free(const Napi::CallbackInfo& info) {
    uint32_t h = info[0].As<Napi::Number>().Uint32Value();
    return Napi::Boolean::New(info.Env(), handles_.erase(h) > 0);
  }

  // live() -> { handles, bytes }: what the table holds (bytes of distinct storages).
  Napi::Value Live(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::unordered_map<const void*, size_t> storages;
    for (const auto& kv : handles_) {
      const auto& s = kv.second.storage();
      if (s) storages[s.unsafeGetStorageImpl()] = s.nbytes();
    }
    double bytes = 0;
    for (const auto& kv : storages) bytes += static_cast<double>(kv.second);
    Napi::Object r = Napi::Object::New(env);
    r.Set("handles", static_cast<double>(handles_.size()));
    r.Set("bytes", bytes);
    return r;
  }

  Napi::Value Sync(const Napi::CallbackInfo& info) {
    if (device_.is_cuda()) torch::cuda::synchronize();
    return info.Env().Undefined();
  }

  // run(kernel, handles[], attrs) -> [handle, dtype, rank, ...dims] per output, flattened.
  Napi::Value Run(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string name = info[0].As<Napi::String>().Utf8Value();
    auto it = kernels_.find(name);
    if (it == kernels_.end()) throw Napi::Error::New(env, "torch backend: no native kernel '" + name + "'");
    Napi::Array hs = info[1].As<Napi::Array>();
    Args args{{}, info.Length() > 2 && info[2].IsObject() ? info[2].As<Napi::Object>() : Napi::Object::New(env),
              at::TensorOptions().dtype(at::kFloat).device(device_)};
    Outputs outs;
    try {
      args.in.reserve(hs.Length());
      for (uint32_t i = 0; i < hs.Length(); i++) args.in.push_back(lookup(hs.Get(i).As<Napi::Number>().Uint32Value()));
      outs = it->second(args);
      for (auto& o : outs) o = normalise(o);
    } catch (const Napi::Error&) {
      throw;
    } catch (const c10::Error& e) {
      throw Napi::Error::New(env, describe(name, args, e.what_without_backtrace()));
    } catch (const std::exception& e) {
      throw Napi::Error::New(env, describe(name, args, e.what()));
    }
    size_t len = 0;
    for (const auto& o : outs) len += 3 + o.dim();
    Napi::Array r = Napi::Array::New(env, len);
    uint32_t k = 0;
    for (const auto& o : outs) {
      r.Set(k++, keep(o));
      r.Set(k++, dtypeCode(o.scalar_type()));
      r.Set(k++, static_cast<double>(o.dim()));
      for (int64_t d = 0; d < o.dim(); d++) r.Set(k++, static_cast<double>(o.size(d)));
    }
    return r;
  }

  static std::string describe(const std::string& name, const Args& args, const std::string& what) {
    std::ostringstream s;
    s << "torch kernel " << name << " failed on inputs (";
    for (size_t i = 0; i < args.in.size(); i++) s << (i ? ", " : "") << shapeOf(args.in[i]) << " " << args.in[i].scalar_type();
    s << "): " << firstLine(what);
    return s.str();
  }
};

}  // namespace caddm

using caddm::TorchAddon;
NODE_API_ADDON(TorchAddon)
