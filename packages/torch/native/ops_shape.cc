// Layout kernels: reshapes and views, concatenation, slicing, padding,
// gathers and scatters, one-hot, top-k and fills. Parameters arrive already
// normalised by the JavaScript side (non-negative axes, explicit sizes).
#include "common.h"

namespace caddm {

namespace {

// The linear index into the first k dimensions of `shape` for each row of `idx` ([n, k]).
at::Tensor linearIndex(const at::Tensor& idx, at::IntArrayRef shape, int64_t k) {
  at::Tensor l = at::zeros({idx.size(0)}, idx.options().dtype(at::kLong));
  int64_t stride = 1;
  for (int64_t j = k - 1; j >= 0; j--) {
    l.add_(idx.select(1, j).to(at::kLong), stride);
    stride *= shape[j];
  }
  return l;
}

// tfjs' cumulative sum or product along `axis`: exclusive ones are the inclusive ones shifted
// by one behind the identity (exact, unlike subtracting x), reversed ones run from the end.
at::Tensor scan(const Args& a, bool product) {
  at::Tensor x = a[0];
  int64_t axis = a.num("axis");
  bool exclusive = a.flag("exclusive"), reverse = a.flag("reverse");
  if (reverse) x = at::flip(x, {axis});
  at::Tensor c = product ? at::cumprod(x, axis) : at::cumsum(x, axis);
  if (exclusive && x.size(axis) > 0) {
    at::Tensor head = c.narrow(axis, 0, 1);
    head = product ? at::ones_like(head) : at::zeros_like(head);
    c = at::cat({head, c.narrow(axis, 0, x.size(axis) - 1)}, axis);
  }
  if (reverse) c = at::flip(c, {axis});
  return c.to(a[0].scalar_type());
}

}  // namespace

void registerSegments(Registry& r);

void registerShape(Registry& r) {
  registerSegments(r);
  r["Reshape"] = [](Args& a) -> Outputs { return {a[0].reshape(a.ints("shape"))}; };
  r["Transpose"] = [](Args& a) -> Outputs { return {a[0].permute(a.ints("perm"))}; };
  r["Concat"] = [](Args& a) -> Outputs { return {at::cat(a.in, a.num("axis"))}; };
  r["Pack"] = [](Args& a) -> Outputs { return {at::stack(a.in, a.num("axis"))}; };
  r["Unpack"] = [](Args& a) -> Outputs {
    auto parts = at::unbind(a[0], a.num("axis"));
    return Outputs(parts.begin(), parts.end());
  };
  r["Reverse"] = [](Args& a) -> Outputs { return {at::flip(a[0], a.ints("dims"))}; };
  r["Tile"] = [](Args& a) -> Outputs { return {a[0].repeat(a.ints("reps"))}; };
  r["Slice"] = [](Args& a) -> Outputs {
    auto begin = a.ints("begin"), size = a.ints("size");
    at::Tensor x = a[0];
    for (int64_t d = 0; d < static_cast<int64_t>(begin.size()); d++) x = x.narrow(d, begin[d], size[d]);
    return {x};
  };
  // begin/end/strides already resolved by tfjs' slice_util (positive strides only here).
  r["StridedSlice"] = [](Args& a) -> Outputs {
    auto begin = a.ints("begin"), end = a.ints("end"), strides = a.ints("strides"), shape = a.ints("finalShape");
    at::Tensor x = a[0];
    for (int64_t d = 0; d < static_cast<int64_t>(begin.size()); d++) {
      if (strides[d] <= 0) throw KernelError("negative strides are not supported");
      x = x.slice(d, begin[d], std::max(begin[d], end[d]), strides[d]);
    }
    return {x.reshape(shape)};
  };
  r["SplitV"] = [](Args& a) -> Outputs {
    auto parts = at::split_with_sizes(a[0], a.ints("sizes"), a.num("axis"));
    return Outputs(parts.begin(), parts.end());
  };
  // paddings: [before0, after0, before1, after1, ...] in tfjs' axis order.
  r["PadV2"] = [](Args& a) -> Outputs {
    auto p = a.ints("flatPaddings");
    std::vector<int64_t> tp;
    for (int64_t d = static_cast<int64_t>(p.size()) / 2 - 1; d >= 0; d--) {
      tp.push_back(p[2 * d]);
      tp.push_back(p[2 * d + 1]);
    }
    return {at::constant_pad_nd(a[0], tp, a.num("constantValue", 0))};
  };
  r["Fill"] = [](Args& a) -> Outputs {
    return {at::full(a.ints("shape"), a.num("value"), a.floatOptions.dtype(a.dtype("dtype")))};
  };
  r["GatherV2"] = [](Args& a) -> Outputs {
    const at::Tensor &x = a[0], &idx = a[1];
    int64_t axis = a.num("axis");
    at::Tensor flat = at::index_select(x, axis, idx.reshape({-1}).to(at::kLong));
    std::vector<int64_t> shape(x.sizes().begin(), x.sizes().begin() + axis);
    for (auto d : idx.sizes()) shape.push_back(d);
    for (int64_t d = axis + 1; d < x.dim(); d++) shape.push_back(x.size(d));
    return {flat.reshape(shape)};
  };
  r["GatherNd"] = [](Args& a) -> Outputs {
    const at::Tensor &x = a[0], &idx = a[1];
    int64_t k = idx.size(-1);
    at::Tensor rows = idx.reshape({-1, k});
    std::vector<int64_t> flatShape{-1};
    for (int64_t d = k; d < x.dim(); d++) flatShape.push_back(x.size(d));
    at::Tensor flat = x.reshape(flatShape);
    at::Tensor g = at::index_select(flat, 0, linearIndex(rows, x.sizes(), k));
    std::vector<int64_t> shape(idx.sizes().begin(), idx.sizes().end() - 1);
    for (int64_t d = k; d < x.dim(); d++) shape.push_back(x.size(d));
    return {g.reshape(shape)};
  };
  // Sums updates at the given indices into zeros of `shape` (duplicates add up, as in tfjs).
  r["ScatterNd"] = [](Args& a) -> Outputs {
    const at::Tensor &idx = a[0], &upd = a[1];
    auto shape = a.ints("shape");
    int64_t k = idx.size(-1);
    at::Tensor rows = idx.reshape({-1, k});
    int64_t slice = 1;
    for (size_t d = k; d < shape.size(); d++) slice *= shape[d];
    int64_t outer = 1;
    for (int64_t d = 0; d < k; d++) outer *= shape[d];
    at::Tensor out = at::zeros({outer, slice}, upd.options());
    out.index_add_(0, linearIndex(rows, shape, k), upd.reshape({rows.size(0), slice}));
    return {out.reshape(shape)};
  };
  // Out-of-range indices give an all-`off` row, as in tfjs.
  r["OneHot"] = [](Args& a) -> Outputs {
    const at::Tensor& idx = a[0];
    int64_t depth = a.num("depth");
    double on = a.num("onValue", 1), off = a.num("offValue", 0);
    at::Tensor i = idx.to(at::kLong);
    at::Tensor valid = (i >= 0).logical_and(i < depth);
    at::Tensor oh = at::one_hot(at::where(valid, i, at::zeros_like(i)), depth).logical_and(valid.unsqueeze(-1));
    at::Tensor out = oh.to(at::kFloat) * (on - off) + off;
    return {out.to(a.dtype("dtype"))};
  };
  // Largest first; among equal values the lower index first (a stable sort), as tfjs does.
  r["TopK"] = [](Args& a) -> Outputs {
    const at::Tensor& x = a[0];
    int64_t k = a.num("k");
    auto sorted = at::sort(x, /*stable=*/true, /*dim=*/-1, /*descending=*/true);
    return {std::get<0>(sorted).narrow(-1, 0, k), std::get<1>(sorted).narrow(-1, 0, k)};
  };
  r["Cumsum"] = [](Args& a) -> Outputs { return {scan(a, false)}; };
  r["Cumprod"] = [](Args& a) -> Outputs { return {scan(a, true)}; };
}

}  // namespace caddm

namespace caddm {

// Sums rows of x into numSegments rows by segment id; ids outside [0, numSegments) are dropped.
void registerSegments(Registry& r) {
  r["UnsortedSegmentSum"] = [](Args& a) -> Outputs {
    const at::Tensor &x = a[0], &ids = a[1];
    int64_t n = a.num("numSegments");
    at::Tensor rows = x.reshape({ids.numel(), -1});
    at::Tensor i = ids.reshape({-1}).to(at::kLong);
    at::Tensor keep = (i >= 0).logical_and(i < n);
    std::vector<int64_t> shape{n};
    for (int64_t d = ids.dim(); d < x.dim(); d++) shape.push_back(x.size(d));
    at::Tensor out = at::zeros({n, rows.size(1)}, x.options());
    out.index_add_(0, i.masked_select(keep), rows.index_select(0, at::nonzero(keep).squeeze(1)));
    return {out.reshape(shape)};
  };
}

}  // namespace caddm
