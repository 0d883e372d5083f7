// Reductions over a list of axes (already non-negative), with keepDims.
#include "common.h"

namespace caddm {

namespace {

using Reducer = std::function<at::Tensor(const at::Tensor&, at::IntArrayRef, bool)>;

void reduction(Registry& r, const char* name, Reducer f) {
  r[name] = [f](Args& a) -> Outputs {
    auto axes = a.ints("axes");
    bool keep = a.flag("keepDims");
    // An empty axis list reduces nothing (libtorch would reduce everything).
    if (axes.empty()) return {a[0]};
    return {f(a[0], axes, keep)};
  };
}

}  // namespace

void registerReduce(Registry& r) {
  reduction(r, "Sum", [](const at::Tensor& x, at::IntArrayRef d, bool k) { return at::sum(x, d, k); });
  reduction(r, "Mean", [](const at::Tensor& x, at::IntArrayRef d, bool k) {
    return at::mean(x.is_floating_point() ? x : x.to(at::kFloat), d, k);
  });
  reduction(r, "Max", [](const at::Tensor& x, at::IntArrayRef d, bool k) { return at::amax(x, d, k); });
  reduction(r, "Min", [](const at::Tensor& x, at::IntArrayRef d, bool k) { return at::amin(x, d, k); });
  reduction(r, "Prod", [](const at::Tensor& x, at::IntArrayRef d, bool k) {
    at::Tensor p = x;
    for (auto it = d.rbegin(); it != d.rend(); ++it) p = at::prod(p, *it, k);
    return p;
  });
  reduction(r, "All", [](const at::Tensor& x, at::IntArrayRef d, bool k) {
    at::Tensor p = x.to(at::kBool);
    for (auto it = d.rbegin(); it != d.rend(); ++it) p = at::all(p, *it, k);
    return p;
  });
  reduction(r, "Any", [](const at::Tensor& x, at::IntArrayRef d, bool k) {
    at::Tensor p = x.to(at::kBool);
    for (auto it = d.rbegin(); it != d.rend(); ++it) p = at::any(p, *it, k);
    return p;
  });
  r["ArgMax"] = [](Args& a) -> Outputs { return {at::argmax(a[0], static_cast<int64_t>(a.num("axis")))}; };
  r["ArgMin"] = [](Args& a) -> Outputs { return {at::argmin(a[0], static_cast<int64_t>(a.num("axis")))}; };
}

}  // namespace caddm
