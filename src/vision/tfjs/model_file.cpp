#include "vision/tfjs/model_file.h"

#include <array>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <limits>

#include "core/error.h"

namespace playsight::vision::tfjs {
namespace {

// int64 values arrive as JSON strings ("3"), sometimes as numbers. Anything else, or a value
// beyond int64, is an InputError (the callers add where it was).
std::int64_t json_integer(const nlohmann::json& value) {
  std::int64_t out = 0;
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (error == std::errc() && end == text.data() + text.size() && !text.empty()) return out;
  } else if (value.is_number_integer() &&
             (!value.is_number_unsigned() ||
              value.get<std::uint64_t>() <= std::numeric_limits<std::int64_t>::max())) {
    return value.get<std::int64_t>();
  }
  throw InputError("expected an integer (int64), got " + quote_for_message(value.dump()));
}

// Runs read(attribute) for the node's attribute `key`; a value of the wrong JSON type is an
// InputError naming the node and the attribute (op translators call these on any model.json).
template <class Read>
auto read_attribute(const GraphNode& node, const std::string& key, Read read) {
  try {
    return read();
  } catch (const nlohmann::json::exception& error) {
    throw InputError("node '" + node.name + "' (op " + node.op + "): attribute '" + key +
                     "': " + error.what());
  } catch (const InputError& error) {
    throw InputError("node '" + node.name + "' (op " + node.op + "): attribute '" + key +
                     "': " + error.what());
  }
}

// Weights are at most 2^31 values: anything larger is a corrupt manifest (and would overflow).
void check_weight_shape(const WeightSpec& weight) {
  std::int64_t count = 1;
  for (const std::int64_t dim : weight.shape) {
    if (dim < 0 || (dim > 0 && count > (std::int64_t{1} << 31) / dim))
      throw InputError("weight '" + weight.name +
                       "': expected a shape of non-negative sizes of at most 2^31 values in all");
    count *= dim;
  }
}

const nlohmann::json* find_attribute(const nlohmann::json& attributes, const std::string& key) {
  const auto found = attributes.find(key);
  return found == attributes.end() ? nullptr : &*found;
}

std::vector<std::int64_t> read_shape(const nlohmann::json& shape) {
  std::vector<std::int64_t> dims;
  if (!shape.contains("dim")) return dims;  // {} is a scalar
  for (const auto& dim : shape["dim"])
    dims.push_back(dim.contains("size") ? json_integer(dim["size"]) : 1);
  return dims;
}

Quantization parse_quantization(const nlohmann::json& spec) {
  if (!spec.contains("quantization")) return Quantization::kNone;
  const std::string dtype = spec["quantization"].value("dtype", "");
  if (dtype == "float16") return Quantization::kFloat16;
  if (dtype == "uint8") return Quantization::kUint8;
  if (dtype == "uint16") return Quantization::kUint16;
  throw InputError("unsupported weight quantization '" + dtype + "' for weight '" +
                   spec.value("name", "") + "'");
}

}  // namespace

DataType parse_data_type(const std::string& name) {
  if (name == "DT_FLOAT" || name == "float32") return DataType::kFloat32;
  if (name == "DT_INT32" || name == "int32") return DataType::kInt32;
  if (name == "DT_INT64" || name == "int64") return DataType::kInt64;
  if (name == "DT_BOOL" || name == "bool") return DataType::kBool;
  if (name == "DT_STRING" || name == "string") return DataType::kString;
  return DataType::kUnknown;
}

std::int64_t GraphNode::integer(const std::string& key, std::int64_t fallback) const {
  return read_attribute(*this, key, [&] {
    const auto* value = find_attribute(attributes, key);
    return value && value->contains("i") ? json_integer((*value)["i"]) : fallback;
  });
}

std::vector<std::int64_t> GraphNode::integers(const std::string& key) const {
  return read_attribute(*this, key, [&] {
    std::vector<std::int64_t> values;
    const auto* value = find_attribute(attributes, key);
    if (value && value->contains("list") && (*value)["list"].contains("i")) {
      for (const auto& item : (*value)["list"]["i"]) values.push_back(json_integer(item));
    }
    return values;
  });
}

float GraphNode::number(const std::string& key, float fallback) const {
  return read_attribute(*this, key, [&] {
    const auto* value = find_attribute(attributes, key);
    return value && value->contains("f") ? (*value)["f"].get<float>() : fallback;
  });
}

bool GraphNode::flag(const std::string& key, bool fallback) const {
  return read_attribute(*this, key, [&] {
    const auto* value = find_attribute(attributes, key);
    return value && value->contains("b") ? (*value)["b"].get<bool>() : fallback;
  });
}

std::string GraphNode::text(const std::string& key, const std::string& fallback) const {
  return read_attribute(*this, key, [&] {
    const auto* value = find_attribute(attributes, key);
    return value && value->contains("s") ? decode_base64((*value)["s"].get<std::string>())
                                         : fallback;
  });
}

std::vector<std::string> GraphNode::texts(const std::string& key) const {
  return read_attribute(*this, key, [&] {
    std::vector<std::string> values;
    const auto* value = find_attribute(attributes, key);
    if (value && value->contains("list") && (*value)["list"].contains("s")) {
      for (const auto& item : (*value)["list"]["s"])
        values.push_back(decode_base64(item.get<std::string>()));
    }
    return values;
  });
}

DataType GraphNode::data_type(const std::string& key) const {
  return read_attribute(*this, key, [&] {
    const auto* value = find_attribute(attributes, key);
    return value && value->contains("type") ? parse_data_type((*value)["type"].get<std::string>())
                                            : DataType::kUnknown;
  });
}

std::vector<std::int64_t> GraphNode::shape(const std::string& key) const {
  return read_attribute(*this, key, [&] {
    const auto* value = find_attribute(attributes, key);
    return value && value->contains("shape") ? read_shape((*value)["shape"])
                                             : std::vector<std::int64_t>{};
  });
}

std::string decode_base64(const std::string& text) {
  std::array<int, 256> table{};
  table.fill(-1);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < alphabet.size(); ++i)
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);
  std::string out;
  unsigned bits = 0;
  int bit_count = 0;
  for (const char c : text) {
    const int value = table[static_cast<unsigned char>(c)];
    if (value < 0) continue;  // padding and whitespace
    bits = (bits << 6) | static_cast<unsigned>(value);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out.push_back(static_cast<char>((bits >> bit_count) & 0xFF));
    }
  }
  return out;
}

std::pair<std::string, int> split_tensor_name(const std::string& tensor) {
  const auto colon = tensor.rfind(':');
  if (colon == std::string::npos) return {tensor, 0};
  const std::string index = tensor.substr(colon + 1);
  if (index.empty() || index.find_first_not_of("0123456789") != std::string::npos)
    return {tensor, 0};
  int output = 0;
  const auto [end, error] = std::from_chars(index.data(), index.data() + index.size(), output);
  if (error != std::errc() || end != index.data() + index.size())
    throw InputError("tensor " + quote_for_message(tensor) + ": output index out of range");
  return {tensor.substr(0, colon), output};
}

ModelFile read_model_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the model file");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw InputError(path + ": not a TensorFlow.js model.json (" + error.what() + ")");
  }
  ModelFile model;
  model.path = path;
  model.folder = std::filesystem::path(path).parent_path().string();
  try {
    if (!json.is_object() || !json.contains("modelTopology") ||
        !json["modelTopology"].contains("node") || !json.contains("weightsManifest")) {
      throw InputError(path +
                       ": not a TensorFlow.js graph model (expected modelTopology.node and "
                       "weightsManifest)");
    }
    for (const auto& item : json["modelTopology"]["node"]) {
      GraphNode node;
      node.name = item.at("name").get<std::string>();
      node.op = item.at("op").get<std::string>();
      if (item.contains("input")) {
        for (const auto& input : item["input"]) {
          const auto name = input.get<std::string>();
          if (!name.empty() && name[0] != '^') node.inputs.push_back(name);
        }
      }
      node.attributes = item.value("attr", nlohmann::json::object());
      model.nodes.push_back(std::move(node));
    }
    for (const auto& item : json["weightsManifest"]) {
      WeightGroup group;
      for (const auto& shard : item.at("paths")) group.paths.push_back(shard.get<std::string>());
      for (const auto& spec : item.at("weights")) {
        WeightSpec weight;
        weight.name = spec.at("name").get<std::string>();
        weight.dtype = parse_data_type(spec.at("dtype").get<std::string>());
        for (const auto& dim : spec.at("shape")) weight.shape.push_back(json_integer(dim));
        check_weight_shape(weight);
        weight.quantization = parse_quantization(spec);
        if (weight.quantization == Quantization::kUint8 ||
            weight.quantization == Quantization::kUint16) {
          weight.scale = spec["quantization"].at("scale").get<double>();
          weight.min = spec["quantization"].at("min").get<double>();
        }
        group.weights.push_back(std::move(weight));
      }
      model.weight_groups.push_back(std::move(group));
    }
  } catch (const nlohmann::json::exception& error) {
    throw InputError(path + ": malformed model.json (" + error.what() + ")");
  } catch (const InputError& error) {
    throw InputError(path + ": malformed model.json (" + error.what() + ")");
  }
  return model;
}

}  // namespace playsight::vision::tfjs
