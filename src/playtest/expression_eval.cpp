#include "playtest/expression_eval.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/csv_reader.h"
#include "core/error.h"
#include "vision/detector.h"
#include "vision/face_expression.h"
#include "vision/model_catalog.h"

namespace playsight::playtest {

std::string canonical_expression(std::string label) {
  std::transform(label.begin(), label.end(), label.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::map<std::string, std::string> variants{
      {"anger", "angry"},        {"disgusted", "disgust"}, {"fearful", "fear"},
      {"afraid", "fear"},        {"happiness", "happy"},   {"sadness", "sad"},
      {"surprised", "surprise"}, {"calm", "neutral"}};
  const auto found = variants.find(label);
  if (found != variants.end()) return found->second;
  return expression_index(label) >= 0 ? label : "";
}

ExpressionEval evaluate_expressions(const EvalOptions& options) {
  struct Item {
    std::string path;
    int label = 0;
  };
  std::vector<Item> items;
  const std::filesystem::path folder = std::filesystem::path(options.labels_path).parent_path();
  const CsvReader reader(options.labels_path, {"path", "label"});
  CsvReadOptions read_options;
  read_options.threads = 1;
  reader.read(
      [&](unsigned) {
        return [&](const CsvRow& row) {
          const std::string path(row.text(0));
          if (path.empty()) row.fail(0, "an image path was expected, got an empty field");
          const std::string label = canonical_expression(std::string(row.text(1)));
          if (label.empty()) {
            row.fail(1, "'" + std::string(row.text(1)) +
                            "' is not an expression; use angry, disgust, fear, happy, sad, "
                            "surprise or neutral");
          }
          const std::filesystem::path p(path);
          items.push_back({(p.is_absolute() ? p : folder / p).string(), expression_index(label)});
        };
      },
      read_options);

  const std::string models = vision::find_models_folder(options.models_folder);
  vision::ExpressionClassifier classifier(models);
  vision::DetectorOptions detector_options;
  detector_options.models_folder = models;
  detector_options.expressions = false;
  std::unique_ptr<vision::Detector> detector;
  ExpressionEval eval;
  const auto note = [&](const std::string& problem) {
    if (eval.problems.size() < 5) eval.problems.push_back(problem);
  };
  for (const Item& item : items) {
    ++eval.images;
    cv::Mat image = cv::imread(item.path, cv::IMREAD_COLOR);
    if (image.empty()) {
      ++eval.unreadable;
      note(item.path + ": cannot be read as an image");
      continue;
    }
    vision::Box face{0, 0, static_cast<double>(image.cols), static_cast<double>(image.rows)};
    if (!options.crops && std::max(image.cols, image.rows) > options.crop_max_side) {
      if (!detector) detector = vision::make_detector(options.face_detector, detector_options);
      auto faces = detector->detect(image);
      if (faces.empty()) {
        // A face that fills the image is outside what the detector learnt: look again with the
        // image in the middle of a canvas twice its size.
        cv::Mat padded;
        const int top = image.rows / 2, side = image.cols / 2;
        cv::copyMakeBorder(image, padded, top, top, side, side, cv::BORDER_CONSTANT,
                           cv::Scalar(128, 128, 128));
        faces = detector->detect(padded);
        for (auto& f : faces) {
          f.box = {f.box.x1 - side, f.box.y1 - top, f.box.x2 - side, f.box.y2 - top};
          f.box = {std::max(0.0, f.box.x1), std::max(0.0, f.box.y1),
                   std::min<double>(image.cols, f.box.x2), std::min<double>(image.rows, f.box.y2)};
        }
      }
      if (faces.empty()) {
        ++eval.without_face;
        note(item.path + ": no face found");
        continue;
      }
      face = std::max_element(faces.begin(), faces.end(), [](const auto& a, const auto& b) {
               return a.box.area() < b.box.area();
             })->box;
    }
    const auto probabilities = classifier.classify(image, face);
    int answer = 0;
    double best = -1;
    for (const auto& e : probabilities) {
      if (e.probability > best) {
        best = e.probability;
        answer = expression_index(e.name);
      }
    }
    ++eval.evaluated;
    ++eval.confusion[static_cast<std::size_t>(item.label)][static_cast<std::size_t>(answer)];
  }
  int correct = 0;
  std::array<int, kExpressionCount> answered{};
  for (std::size_t t = 0; t < kExpressionCount; ++t) {
    for (std::size_t a = 0; a < kExpressionCount; ++a) {
      eval.support[t] += eval.confusion[t][a];
      answered[a] += eval.confusion[t][a];
    }
    correct += eval.confusion[t][t];
  }
  eval.accuracy = eval.evaluated ? static_cast<double>(correct) / eval.evaluated : 0;
  for (std::size_t k = 0; k < kExpressionCount; ++k) {
    eval.recall[k] =
        eval.support[k] ? static_cast<double>(eval.confusion[k][k]) / eval.support[k] : 0;
    eval.precision[k] = answered[k] ? static_cast<double>(eval.confusion[k][k]) / answered[k] : 0;
  }
  return eval;
}

}  // namespace playsight::playtest
