#pragma once
// The model.json of a TensorFlow.js graph model, read into plain structs: the GraphDef's nodes
// (name, op, inputs, attributes) and the weights manifest (which shard files hold which named
// tensors, with their dtype, shape and quantisation). Nothing is interpreted here beyond the
// JSON encoding quirks of the format: attribute strings are base64, int64 values are JSON
// strings, `tensorShape: {}` is a scalar.
//
// read_model_file() throws InputError naming the file for a file that is missing, is not JSON,
// or lacks modelTopology/weightsManifest.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace playsight::vision::tfjs {

enum class DataType { kFloat32, kInt32, kInt64, kBool, kString, kUnknown };

DataType parse_data_type(const std::string& name);  // "DT_FLOAT" or "float32" style

struct GraphNode {
  std::string name;
  std::string op;
  std::vector<std::string> inputs;  // "node", "node:1"; control inputs ("^node") are dropped
  nlohmann::json attributes;        // the raw "attr" object

  bool has(const std::string& key) const { return attributes.contains(key); }
  std::int64_t integer(const std::string& key, std::int64_t fallback) const;
  std::vector<std::int64_t> integers(const std::string& key) const;  // list.i
  float number(const std::string& key, float fallback) const;
  bool flag(const std::string& key, bool fallback) const;
  std::string text(const std::string& key, const std::string& fallback) const;  // s, decoded
  std::vector<std::string> texts(const std::string& key) const;                 // list.s, decoded
  DataType data_type(const std::string& key) const;                             // type
  std::vector<std::int64_t> shape(const std::string& key) const;  // shape.dim (-1 unknown)
};

enum class Quantization { kNone, kFloat16, kUint8, kUint16 };

struct WeightSpec {
  std::string name;
  DataType dtype = DataType::kFloat32;
  std::vector<std::int64_t> shape;
  Quantization quantization = Quantization::kNone;
  double scale = 1.0;  // uint8/uint16: value = q * scale + min
  double min = 0.0;
};

struct WeightGroup {
  std::vector<std::string> paths;   // shard files, relative to the model.json's folder
  std::vector<WeightSpec> weights;  // in the order their bytes follow each other
};

struct ModelFile {
  std::string path;    // the model.json
  std::string folder;  // where the shards are
  std::vector<GraphNode> nodes;
  std::vector<WeightGroup> weight_groups;
};

ModelFile read_model_file(const std::string& path);

std::string decode_base64(const std::string& text);

// Splits "node:1" into ("node", 1); "node" is output 0.
std::pair<std::string, int> split_tensor_name(const std::string& tensor);

}  // namespace playsight::vision::tfjs
