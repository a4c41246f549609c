// TensorFlow.js graph models (vision/tfjs/): a model.json and its weight shard, given as one input
// cut at its first NUL byte (model.json before it, the shard group1-shard1of1.bin after it). The
// model.json reader, its attribute accessors (which the op translators call) and the weights
// decoder may refuse them only with an InputError; decoded weights have the element count of
// their shape.
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "vision/tfjs/model_file.h"
#include "vision/tfjs/weights.h"

namespace playsight::fuzz {
namespace {

using namespace vision::tfjs;

// Every accessor on every attribute of every node, as an op translator might call it.
void read_attributes(const ModelFile& model) {
  for (const GraphNode& node : model.nodes) {
    for (const std::string& input : node.inputs) accepts([&] { split_tensor_name(input); });
    if (!node.attributes.is_object()) continue;
    for (const auto& item : node.attributes.items()) {
      const std::string key = item.key();  // (clang 14 cannot capture structured bindings)
      accepts([&] { node.integer(key, 0); });
      accepts([&] { node.integers(key); });
      accepts([&] { node.number(key, 0.0f); });
      accepts([&] { node.flag(key, false); });
      accepts([&] { node.text(key, ""); });
      accepts([&] { node.texts(key); });
      accepts([&] { node.data_type(key); });
      accepts([&] { node.shape(key); });
    }
  }
}

void check(std::string_view input) {
  const std::size_t cut = input.find('\0');
  const std::string path = scratch().write("tfjs/model.json", input.substr(0, cut));
  scratch().write("tfjs/group1-shard1of1.bin",
                  cut == std::string_view::npos ? std::string_view() : input.substr(cut + 1));
  ModelFile model;
  if (!accepts([&] { model = read_model_file(path); })) return;
  read_attributes(model);
  Weights weights;
  if (!accepts([&] { weights = read_weights(model); })) return;
  for (const auto& [name, tensor] : weights)
    require(static_cast<std::int64_t>(tensor.values.size()) == tensor.element_count(),
            "weight '" + name + "' has another element count than its shape");
}

}  // namespace
}  // namespace playsight::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  playsight::fuzz::check(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
