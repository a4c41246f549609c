#pragma once
// Decodes the weights of a TensorFlow.js model: reads the shard files of each weight group in
// the manifest, concatenated (offsets run on across shards), and turns each entry into a
// HostTensor in manifest order: float32 and int32 as stored, float16 entries (2 bytes a value)
// widened, uint8/uint16 entries dequantised (value = q * scale + min). int64 entries are stored
// as int32 by the converter.
//
// Throws InputError naming the shard for a missing shard, and naming the model.json when the
// shards hold fewer bytes than the manifest says (a truncated or corrupt file).
#include <string>
#include <unordered_map>

#include "vision/tfjs/host_tensor.h"
#include "vision/tfjs/model_file.h"

namespace playsight::vision::tfjs {

using Weights = std::unordered_map<std::string, HostTensor>;

Weights read_weights(const ModelFile& model);

// IEEE 754 half precision to single precision (subnormals, infinities and NaN included).
float half_to_float(std::uint16_t half);

}  // namespace playsight::vision::tfjs
