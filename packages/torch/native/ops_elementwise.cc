// Element-wise kernels: unary maps, broadcasting binary ops, comparisons,
// selection and casts, with tfjs' semantics where libtorch's differ.
#include "common.h"

namespace caddm {

namespace {

using Unary = at::Tensor (*)(const at::Tensor&);

void unary(Registry& r, const char* name, std::function<at::Tensor(const at::Tensor&)> f) {
  r[name] = [f](Args& a) -> Outputs { return {f(a[0])}; };
}

void binary(Registry& r, const char* name, std::function<at::Tensor(const at::Tensor&, const at::Tensor&)> f) {
  r[name] = [f](Args& a) -> Outputs { return {f(a[0], a[1])}; };
}

at::Tensor asFloat(const at::Tensor& x) { return x.is_floating_point() ? x : x.to(at::kFloat); }

}  // namespace

at::Tensor applyActivation(const at::Tensor& y, const Args& a, const at::Tensor* prelu) {
  std::string act = a.str("activation", "linear");
  if (act == "linear" || act.empty()) return y;
  if (act == "relu") return at::relu(y);
  if (act == "relu6") return at::clamp(y, 0, 6);
  if (act == "elu") return at::elu(y);
  if (act == "sigmoid") return at::sigmoid(y);
  if (act == "leakyrelu") return at::leaky_relu(y, a.num("leakyreluAlpha", 0.2));
  if (act == "prelu") {
    if (prelu == nullptr) throw KernelError("activation 'prelu' needs preluActivationWeights");
    return at::where(y > 0, y, y * *prelu);
  }
  throw KernelError("activation '" + act + "' is not supported");
}

void registerElementwise(Registry& r) {
  unary(r, "Abs", [](const at::Tensor& x) { return at::abs(x); });
  unary(r, "Acos", [](const at::Tensor& x) { return at::acos(asFloat(x)); });
  unary(r, "Asin", [](const at::Tensor& x) { return at::asin(asFloat(x)); });
  unary(r, "Atan", [](const at::Tensor& x) { return at::atan(asFloat(x)); });
  unary(r, "Ceil", [](const at::Tensor& x) { return at::ceil(x); });
  unary(r, "Cos", [](const at::Tensor& x) { return at::cos(asFloat(x)); });
  unary(r, "Cosh", [](const at::Tensor& x) { return at::cosh(asFloat(x)); });
  unary(r, "Elu", [](const at::Tensor& x) { return at::elu(x); });
  unary(r, "Erf", [](const at::Tensor& x) { return at::erf(asFloat(x)); });
  unary(r, "Exp", [](const at::Tensor& x) { return at::exp(asFloat(x)); });
  unary(r, "Expm1", [](const at::Tensor& x) { return at::expm1(asFloat(x)); });
  unary(r, "Floor", [](const at::Tensor& x) { return at::floor(x); });
  unary(r, "IsNan", [](const at::Tensor& x) { return at::isnan(x); });
  unary(r, "IsInf", [](const at::Tensor& x) { return at::isinf(x); });
  unary(r, "IsFinite", [](const at::Tensor& x) { return at::isfinite(x); });
  unary(r, "Log", [](const at::Tensor& x) { return at::log(asFloat(x)); });
  unary(r, "Log1p", [](const at::Tensor& x) { return at::log1p(asFloat(x)); });
  unary(r, "LogicalNot", [](const at::Tensor& x) { return at::logical_not(x); });
  unary(r, "Neg", [](const at::Tensor& x) { return at::neg(x); });
  unary(r, "Reciprocal", [](const at::Tensor& x) { return at::reciprocal(asFloat(x)); });
  unary(r, "Relu", [](const at::Tensor& x) { return at::relu(x); });
  unary(r, "Relu6", [](const at::Tensor& x) { return at::clamp(x, 0, 6); });
  unary(r, "Round", [](const at::Tensor& x) { return at::round(x); });
  unary(r, "Rsqrt", [](const at::Tensor& x) { return at::rsqrt(asFloat(x)); });
  unary(r, "Selu", [](const at::Tensor& x) { return at::selu(x); });
  unary(r, "Sigmoid", [](const at::Tensor& x) { return at::sigmoid(asFloat(x)); });
  unary(r, "Sign", [](const at::Tensor& x) { return at::sign(x); });
  unary(r, "Sin", [](const at::Tensor& x) { return at::sin(asFloat(x)); });
  unary(r, "Sinh", [](const at::Tensor& x) { return at::sinh(asFloat(x)); });
  unary(r, "Softplus", [](const at::Tensor& x) { return at::softplus(x); });
  unary(r, "Sqrt", [](const at::Tensor& x) { return at::sqrt(asFloat(x)); });
  unary(r, "Square", [](const at::Tensor& x) { return at::square(x); });
  unary(r, "Tan", [](const at::Tensor& x) { return at::tan(asFloat(x)); });
  unary(r, "Tanh", [](const at::Tensor& x) { return at::tanh(asFloat(x)); });
  // Identity shares the storage: tfjs never writes into a tensor's data.
  unary(r, "Identity", [](const at::Tensor& x) { return x; });

  // tfjs: x > 0 ? 1 : alpha, and NaN stays NaN.
  r["Step"] = [](Args& a) -> Outputs {
    const at::Tensor& x = a[0];
    at::Tensor one = at::ones({}, x.options()), alpha = at::full({}, a.num("alpha", 0), x.options());
    return {at::where(at::isnan(x), x, at::where(x > 0, one, alpha))};
  };
  r["LeakyRelu"] = [](Args& a) -> Outputs {
    const at::Tensor& x = a[0];
    return {at::where(x > 0, x, x * a.num("alpha", 0.2))};
  };
  r["ClipByValue"] = [](Args& a) -> Outputs { return {at::clamp(a[0], a.num("clipValueMin"), a.num("clipValueMax"))}; };
  r["EluGrad"] = [](Args& a) -> Outputs {
    const at::Tensor &dy = a[0], &y = a[1];
    return {at::where(y < 0, dy * (y + 1), dy)};
  };
  r["Cast"] = [](Args& a) -> Outputs {
    at::ScalarType to = a.dtype("dtype");
    const at::Tensor& x = a[0];
    if (to == at::kInt && x.is_floating_point()) return {at::trunc(x).to(at::kInt)};
    return {x.to(to)};
  };

  binary(r, "Add", [](const at::Tensor& x, const at::Tensor& y) { return at::add(x, y); });
  binary(r, "Sub", [](const at::Tensor& x, const at::Tensor& y) { return at::sub(x, y); });
  binary(r, "Multiply", [](const at::Tensor& x, const at::Tensor& y) { return at::mul(x, y); });
  binary(r, "RealDiv", [](const at::Tensor& x, const at::Tensor& y) { return at::div(x, y); });
  binary(r, "FloorDiv", [](const at::Tensor& x, const at::Tensor& y) { return at::div(x, y, "floor"); });
  binary(r, "Mod", [](const at::Tensor& x, const at::Tensor& y) { return at::remainder(x, y); });
  binary(r, "Maximum", [](const at::Tensor& x, const at::Tensor& y) { return at::maximum(x, y); });
  binary(r, "Minimum", [](const at::Tensor& x, const at::Tensor& y) { return at::minimum(x, y); });
  binary(r, "Pow", [](const at::Tensor& x, const at::Tensor& y) { return at::pow(x, y); });
  binary(r, "SquaredDifference", [](const at::Tensor& x, const at::Tensor& y) { return at::square(x - y); });
  binary(r, "Atan2", [](const at::Tensor& x, const at::Tensor& y) { return at::atan2(asFloat(x), asFloat(y)); });
  binary(r, "Greater", [](const at::Tensor& x, const at::Tensor& y) { return at::gt(x, y); });
  binary(r, "GreaterEqual", [](const at::Tensor& x, const at::Tensor& y) { return at::ge(x, y); });
  binary(r, "Less", [](const at::Tensor& x, const at::Tensor& y) { return at::lt(x, y); });
  binary(r, "LessEqual", [](const at::Tensor& x, const at::Tensor& y) { return at::le(x, y); });
  binary(r, "Equal", [](const at::Tensor& x, const at::Tensor& y) { return at::eq(x, y); });
  binary(r, "NotEqual", [](const at::Tensor& x, const at::Tensor& y) { return at::ne(x, y); });
  binary(r, "LogicalAnd", [](const at::Tensor& x, const at::Tensor& y) { return at::logical_and(x, y); });
  binary(r, "LogicalOr", [](const at::Tensor& x, const at::Tensor& y) { return at::logical_or(x, y); });
  binary(r, "Prelu", [](const at::Tensor& x, const at::Tensor& alpha) { return at::where(x > 0, x, x * alpha); });

  r["AddN"] = [](Args& a) -> Outputs {
    if (a.in.empty()) throw KernelError("AddN needs at least one input");
    at::Tensor s = a[0].clone();
    for (size_t i = 1; i < a.in.size(); i++) s.add_(a.in[i]);
    return {s};
  };
  r["Select"] = [](Args& a) -> Outputs { return {at::where(a[0].to(at::kBool), a[1], a[2])}; };
}

}  // namespace caddm
