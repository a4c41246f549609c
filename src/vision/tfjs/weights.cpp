#include "vision/tfjs/weights.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/error.h"

namespace playsight::vision::tfjs {
namespace {

std::string read_shards(const ModelFile& model, const WeightGroup& group) {
  std::string bytes;
  for (const auto& shard : group.paths) {
    const auto path = (std::filesystem::path(model.folder) / shard).string();
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      throw InputError(path + ": weights shard listed in " + model.path +
                       " is missing or unreadable");
    }
    bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return bytes;
}

std::size_t bytes_per_value(const WeightSpec& spec) {
  switch (spec.quantization) {
    case Quantization::kFloat16:
    case Quantization::kUint16:
      return 2;
    case Quantization::kUint8:
      return 1;
    case Quantization::kNone:
      break;
  }
  return spec.dtype == DataType::kBool ? 1 : 4;
}

template <class T>
T load(const char* data) {
  T value;
  std::memcpy(&value, data, sizeof(T));
  return value;
}

double decode_value(const WeightSpec& spec, const char* data) {
  switch (spec.quantization) {
    case Quantization::kFloat16:
      return half_to_float(load<std::uint16_t>(data));
    case Quantization::kUint16:
      return load<std::uint16_t>(data) * spec.scale + spec.min;
    case Quantization::kUint8:
      return static_cast<unsigned char>(*data) * spec.scale + spec.min;
    case Quantization::kNone:
      break;
  }
  switch (spec.dtype) {
    case DataType::kFloat32:
      return load<float>(data);
    case DataType::kBool:
      return *data != 0 ? 1.0 : 0.0;
    default:
      return load<std::int32_t>(data);
  }
}

}  // namespace

float half_to_float(std::uint16_t half) {
  const int sign = (half >> 15) & 1;
  const int exponent = (half >> 10) & 0x1F;
  const int mantissa = half & 0x3FF;
  float value;
  if (exponent == 0) {
    value = std::ldexp(static_cast<float>(mantissa), -24);  // subnormal (or zero)
  } else if (exponent == 31) {
    value = mantissa == 0 ? INFINITY : NAN;
  } else {
    value = std::ldexp(static_cast<float>(mantissa + 1024), exponent - 25);
  }
  return sign ? -value : value;
}

Weights read_weights(const ModelFile& model) {
  Weights weights;
  for (const auto& group : model.weight_groups) {
    const std::string bytes = read_shards(model, group);
    std::size_t offset = 0;
    for (const auto& spec : group.weights) {
      HostTensor tensor;
      tensor.dtype = spec.dtype;
      tensor.shape = spec.shape;
      const auto count = static_cast<std::size_t>(tensor.element_count());
      const std::size_t width = bytes_per_value(spec);
      if (offset + count * width > bytes.size()) {
        throw InputError(model.path + ": weights shards hold " + std::to_string(bytes.size()) +
                         " bytes but the manifest needs more for '" + spec.name +
                         "' (a truncated or corrupt .bin file)");
      }
      tensor.values.resize(count);
      for (std::size_t i = 0; i < count; ++i)
        tensor.values[i] = decode_value(spec, bytes.data() + offset + i * width);
      offset += count * width;
      weights[spec.name] = std::move(tensor);
    }
    if (offset != bytes.size()) {
      throw InputError(model.path + ": weights shards hold " + std::to_string(bytes.size()) +
                       " bytes, the manifest describes " + std::to_string(offset) +
                       " (a corrupt .bin file or the wrong one)");
    }
  }
  return weights;
}

}  // namespace playsight::vision::tfjs
