// Reference outputs from the pure-JavaScript TensorFlow.js CPU backend, for the parity tests and
// the benchmark. Reads a TF.js graph model from disk without any network access.
//
//   node tfjs_reference.js MODEL_JSON INPUT_FILE OUTPUT_FILE [--repeat N] TENSOR...
//   node tfjs_reference.js MODEL_JSON - OUTPUT_FILE --shape 1,512,512,3 --repeat N TENSOR...
//
// (--shape: a pseudo-random input of that shape instead of INPUT_FILE "-"; for timing.)
//
// INPUT_FILE:  int32 rank, int32 dims[rank], float32 values (TensorFlow order, little-endian).
// OUTPUT_FILE: int32 count, then per tensor: int32 rank, int32 dims[rank], float32 values.
// With --repeat N the graph runs N more times and the median milliseconds are printed as JSON.
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

function readInput(file) {
  const buffer = fs.readFileSync(file);
  const rank = buffer.readInt32LE(0);
  const shape = [];
  for (let i = 0; i < rank; i++) shape.push(buffer.readInt32LE(4 + 4 * i));
  const offset = 4 + 4 * rank;
  const count = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = buffer.readFloatLE(offset + 4 * i);
  return { shape, values };
}

function randomInput(shapeText) {
  const shape = shapeText.split(',').map((d) => parseInt(d, 10));
  const count = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(count);
  let state = 12345;
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    values[i] = (state / 2147483648) * 255;
  }
  return { shape, values };
}

function loadModel(modelJson) {
  const model = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
  const folder = path.dirname(modelJson);
  const shards = [];
  const specs = [];
  for (const group of model.weightsManifest) {
    for (const shard of group.paths) shards.push(fs.readFileSync(path.join(folder, shard)));
    specs.push(...group.weights);
  }
  const joined = Buffer.concat(shards);
  const weightData = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength);
  return tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: model.modelTopology,
    weightSpecs: specs,
    weightData,
    format: model.format,
    generatedBy: model.generatedBy,
    convertedBy: model.convertedBy,
  }));
}

function inputDtype(model) {
  const input = model.inputs[0];
  return input && input.dtype === 'int32' ? 'int32' : 'float32';
}

async function main() {
  const args = process.argv.slice(2);
  let repeat = 0;
  const repeatAt = args.indexOf('--repeat');
  if (repeatAt >= 0) {
    repeat = parseInt(args[repeatAt + 1], 10);
    args.splice(repeatAt, 2);
  }
  let shape = null;
  const shapeAt = args.indexOf('--shape');
  if (shapeAt >= 0) {
    shape = args[shapeAt + 1];
    args.splice(shapeAt, 2);
  }
  const [modelJson, inputFile, outputFile, ...names] = args;
  await tf.setBackend('cpu');
  await tf.ready();
  const model = await loadModel(modelJson);
  const input = shape ? randomInput(shape) : readInput(inputFile);
  const dtype = inputDtype(model);
  const values = dtype === 'int32' ? Int32Array.from(input.values, Math.round) : input.values;
  const x = tf.tensor(values, input.shape, dtype);
  const outputs = await model.executeAsync(x, names.length ? names : undefined);
  const list = Array.isArray(outputs) ? outputs : [outputs];
  const parts = [Buffer.alloc(4)];
  parts[0].writeInt32LE(list.length, 0);
  for (const tensor of list) {
    const header = Buffer.alloc(4 + 4 * tensor.shape.length);
    header.writeInt32LE(tensor.shape.length, 0);
    tensor.shape.forEach((d, i) => header.writeInt32LE(d, 4 + 4 * i));
    const data = await tensor.data();
    const floats = Float32Array.from(data);
    parts.push(header, Buffer.from(floats.buffer));
  }
  fs.writeFileSync(outputFile, Buffer.concat(parts));
  if (repeat > 0) {
    const times = [];
    for (let i = 0; i < repeat; i++) {
      const start = process.hrtime.bigint();
      const result = await model.executeAsync(x, names.length ? names : undefined);
      const again = Array.isArray(result) ? result : [result];
      for (const t of again) await t.data();
      tf.dispose(again);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    console.log(JSON.stringify({ median_ms: times[Math.floor(times.length / 2)], runs: repeat }));
  }
}

main().catch((error) => {
  console.error(`tfjs_reference: ${error.message}`);
  process.exit(1);
});
