// Detectors on real frames: people on the vtest.avi walkway, a face in messi5.jpg; the registry;
// the geometry helpers (IoU, non-maximum suppression, the frontal check).
#include "vision/detector.h"

#include <gtest/gtest.h>

#include <numeric>

#include "core/error.h"
#include "vision/face_expression.h"
#include "vision/media.h"
#include "vision_test_support.h"

namespace playsight::vision {
namespace {

DetectorOptions test_options() {
  DetectorOptions options;
  options.models_folder = testing::models_folder();
  return options;
}

std::size_t count_label(const std::vector<Detection>& detections, const std::string& label) {
  return static_cast<std::size_t>(std::count_if(detections.begin(), detections.end(),
                                                [&](const auto& d) { return d.label == label; }));
}

void expect_inside(const Detection& d, const cv::Mat& frame) {
  EXPECT_GE(d.box.x1, 0);
  EXPECT_GE(d.box.y1, 0);
  EXPECT_LE(d.box.x2, frame.cols);
  EXPECT_LE(d.box.y2, frame.rows);
  EXPECT_GT(d.box.area(), 0);
  EXPECT_GE(d.score, 0);
  EXPECT_LE(d.score, 1);
}

// Frame 100 of vtest.avi shows 9 people (counted by eye): 6 near the middle of the walkway, one
// at the top left, one far away on the path at the top left, one partly behind the lamp post.
TEST(Detectors, PersonDetectorsFindTheWalkersAndBeatHog) {
  const cv::Mat frame = testing::vtest_frame(100);
  ASSERT_FALSE(frame.empty());
  std::map<std::string, std::size_t> found;
  for (const std::string name : {"centernet", "nanodet", "movenet", "hog"}) {
    auto detector = make_detector(name, test_options());
    const auto people = detector->detect(frame);
    for (const auto& person : people) {
      expect_inside(person, frame);
      EXPECT_EQ(person.label, "person");
    }
    found[name] = count_label(people, "person");
  }
  EXPECT_GE(found["centernet"], 6u);
  EXPECT_LE(found["centernet"], 11u);
  EXPECT_GE(found["movenet"], 4u);
  EXPECT_GE(found["nanodet"], 4u);
  EXPECT_GT(found["centernet"], found["hog"]);
}

TEST(Detectors, MoveNetGivesSeventeenKeypointsInsideThePerson) {
  const cv::Mat frame = testing::vtest_frame(100);
  auto detector = make_detector("movenet", test_options());
  const auto people = detector->detect(frame);
  ASSERT_FALSE(people.empty());
  const Detection& best = people.front();
  ASSERT_EQ(best.keypoints.size(), 17u);
  EXPECT_EQ(best.keypoints[0].name, "nose");
  // The confident keypoints lie within the person's box (a little slack for the ankles).
  for (const auto& point : best.keypoints) {
    if (point.score < 0.3) continue;
    EXPECT_GE(point.x, best.box.x1 - 10) << point.name;
    EXPECT_LE(point.x, best.box.x2 + 10) << point.name;
    EXPECT_GE(point.y, best.box.y1 - 10) << point.name;
    EXPECT_LE(point.y, best.box.y2 + 10) << point.name;
  }
}

// LBP's cascades miss this half-turned face; they run in DetectorsRunOnEveryKindOfFrame.
TEST(Detectors, FaceDetectorsFindTheFaceWithLandmarksAndExpressions) {
  const cv::Mat image = read_image(testing::opencv_data("messi5.jpg"));
  for (const std::string name : {"blazeface", "haar-face"}) {
    SCOPED_TRACE(name);
    auto detector = make_detector(name, test_options());
    const auto faces = detector->detect(image);
    ASSERT_GE(faces.size(), 1u);
    // Messi's head is at about (240, 115) in this 548x342 photo.
    const Detection& face = faces.front();
    expect_inside(face, image);
    EXPECT_NEAR((face.box.x1 + face.box.x2) / 2, 240, 25);
    EXPECT_NEAR((face.box.y1 + face.box.y2) / 2, 115, 25);
    ASSERT_TRUE(face.frontal.has_value());
    ASSERT_EQ(face.expression.size(), 7u);
    const double total =
        std::accumulate(face.expression.begin(), face.expression.end(), 0.0,
                        [](double sum, const auto& e) { return sum + e.probability; });
    EXPECT_NEAR(total, 1.0, 1e-3);
    if (name == "blazeface") {
      EXPECT_EQ(face.keypoints.size(), 6u);
    }
  }
}

TEST(Detectors, RegistryKnowsEveryDetectorAndNamesThemForAnUnknownOne) {
  for (const auto& info : detector_catalog()) EXPECT_TRUE(make_detector(info.name, test_options()));
  try {
    make_detector("yolo", test_options());
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("yolo"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("centernet"), std::string::npos);
  }
}

TEST(Detectors, DetectorsRunOnEveryKindOfFrame) {
  const cv::Mat grey_frame(120, 200, CV_8UC3, cv::Scalar::all(128));
  const cv::Mat tall_frame(300, 80, CV_8UC3, cv::Scalar(20, 200, 90));
  for (const auto& info : detector_catalog()) {
    SCOPED_TRACE(info.name);
    auto detector = make_detector(info.name, test_options());
    for (const cv::Mat& frame : {grey_frame, tall_frame})
      for (const auto& d : detector->detect(frame)) expect_inside(d, frame);
  }
}

TEST(Detectors, EmptyFrameIsAnInputError) {
  auto detector = make_detector("centernet", test_options());
  EXPECT_THROW(detector->detect(cv::Mat()), InputError);
}

TEST(Geometry, IntersectionOverUnion) {
  EXPECT_DOUBLE_EQ(intersection_over_union({0, 0, 10, 10}, {0, 0, 10, 10}), 1.0);
  EXPECT_DOUBLE_EQ(intersection_over_union({0, 0, 10, 10}, {5, 0, 15, 10}), 50.0 / 150.0);
  EXPECT_DOUBLE_EQ(intersection_over_union({0, 0, 10, 10}, {20, 20, 30, 30}), 0.0);
}

TEST(Geometry, SuppressionKeepsTheBestOfOverlappingBoxesOfOneLabel) {
  std::vector<Detection> detections = {{"person", 0.5, {0, 0, 10, 10}, {}, {}, {}},
                                       {"person", 0.9, {1, 0, 11, 10}, {}, {}, {}},
                                       {"face", 0.4, {0, 0, 10, 10}, {}, {}, {}},
                                       {"person", 0.7, {50, 50, 60, 60}, {}, {}, {}}};
  const auto kept = suppress_overlaps(detections, 0.5);
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_DOUBLE_EQ(kept[0].score, 0.9);
  EXPECT_DOUBLE_EQ(kept[1].score, 0.7);
  EXPECT_EQ(kept[2].label, "face");
}

TEST(Geometry, FrontalWhenTheNoseIsBetweenTheEyes) {
  std::vector<Keypoint> facing = {{"right_eye", 40, 50, 1},
                                  {"left_eye", 60, 50, 1},
                                  {"nose", 50, 60, 1},
                                  {"right_ear", 30, 55, 1},
                                  {"left_ear", 70, 55, 1}};
  EXPECT_TRUE(is_frontal(facing));
  std::vector<Keypoint> turned = facing;
  turned[2].x = 62;  // nose beyond the left eye
  turned[4].x = 64;  // the left ear hidden behind the face, near the nose
  EXPECT_FALSE(is_frontal(turned));
}

}  // namespace
}  // namespace playsight::vision
