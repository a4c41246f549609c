// The vision tasks: detect, vision compare, vision models, audience, playtest, playtest eval,
// playtest summary. Declared here, in the binary, so that --help, the docs and the jobs API know
// them; run in a module (playsight-vision.so next to the binary, src/tasks/vision_module/) opened
// on the first run, because linking OpenCV into the binary would make every command load its ~250
// shared libraries at start. This file includes no OpenCV: the option structs used for defaults
// (audience/video_audience.h, playtest/play_session.h) are plain structs; those of vision/ pull in
// OpenCV, so their defaults are written here as literals.
#include <dlfcn.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "audience/video_audience.h"
#include "core/error.h"
#include "playtest/play_session.h"
#include "tasks/catalog.h"

namespace playsight::tasks {
namespace {

// The module's entry: runs the named task with its checked options, fills the result and returns
// the exit code (vision_module/module.cpp).
using RunVisionTask = int (*)(const char* task, const Values* values, Result* result);

// Opens the module once (it stays loaded for the life of the process) and finds its entry.
RunVisionTask vision_module() {
  static const RunVisionTask run = [] {
    std::error_code error;
    const auto binary = std::filesystem::read_symlink("/proc/self/exe", error);
    const std::string module = (binary.parent_path() / "playsight-vision.so").string();
    void* handle = ::dlopen(module.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) throw Error("cannot load the vision tasks: " + std::string(::dlerror()));
    void* symbol = ::dlsym(handle, "playsight_run_vision_task");
    if (!symbol) throw Error(module + ": no playsight_run_vision_task");
    RunVisionTask entry = nullptr;
    std::memcpy(&entry, &symbol, sizeof entry);  // object pointer to function pointer, without UB
    return entry;
  }();
  return run;
}

Result run_in_module(const char* task, const Values& values) {
  Result result;
  result.exit_code = vision_module()(task, &values, &result);
  return result;
}

// A task whose run is the module's task of the same name.
std::function<Result(const Values&, Progress&)> in_module(const char* task) {
  return [task](const Values& values, Progress&) { return run_in_module(task, values); };
}

// An option with no default: absent unless given (the part then uses its own).
Option without_default(Option option) {
  option.default_value.clear();
  return option;
}

Option models_option(std::string help = "folder of the TF.js models") {
  return Option::path("models", std::move(help));
}

}  // namespace

std::vector<Task> vision_tasks() {
  const audience::VideoAudienceOptions audience_defaults;
  const playtest::SessionOptions session_defaults;
  return {
      {.name = "detect",
       .part = "vision",
       .summary = "People, faces or objects in an image or a video, as JSON (a video: one line per "
                  "frame). Coordinates are the input's pixels.",
       .options =
           {Option::path("INPUT", "an image or a video file").needed(),
            // vision::default_person_detector() (vision/detector_catalog.cpp).
            Option::text("detector", "detector to use (default: nanodet)"),
            Option::path("draw",
                         "also write the input with the detections drawn (an image, or a video: "
                         ".avi MJPG or .mp4)"),
            models_option("folder of the TF.js models (default: node_modules/@vladmandic/"
                          "human-models/models found from here or the binary; $PLAYSIGHT_MODELS)"),
            without_default(Option::number(
                "min-score", "drop detections scoring below this (default: the detector's own)",
                0)),
            without_default(Option::integer("input-size",
                                            "networks: the longer input side in pixels, a "
                                            "multiple of 32 (default: the model's own)",
                                            0)),
            Option::flag("all-classes", "COCO detectors: report every class, not only people"),
            Option::flag("no-expressions", "face detectors: skip the expression model"),
            Option::integer("every", "video: detect on every Nth frame", 1),
            Option::list("frames", "video: detect on these frames only (0-based, comma-separated)"),
            Option::integer("max-frames", "video: stop after N frames (0 = all)", 0),
            shared::threads()},
       .run = in_module("detect"),
       .outputs = {},
       .examples = {{"playsight detect photo.jpg --detector blazeface --draw faces.png",
                     "faces with their expressions as one JSON object, and the photo with boxes"},
                    {"playsight detect clip.avi --every 5",
                     "people in every 5th frame of a video, one JSON line per frame"}},
       .details =
           "Detectors: nanodet (people): NanoDet (COCO), 416x416 letterboxed; centernet "
           "(people): MobileNetV3 CenterNet (COCO), input 512 on the long side, aspect kept; "
           "movenet (people): MoveNet MultiPose Lightning: up to 6 people with 17 keypoints, 256 "
           "on the long side; hog (people): OpenCV HOG + linear SVM people detector (no model "
           "files); blazeface (faces): BlazeFace (256x256): faces with 6 landmarks, frontal flag "
           "and expressions; haar-face (faces): OpenCV Haar cascades, frontal + profile (Debian "
           "opencv-data), with expressions; lbp-face (faces): OpenCV LBP cascades, frontal + "
           "profile (Debian opencv-data), with expressions."},
      {.name = "vision compare",
       .part = "vision",
       .summary =
           "Compare detectors on a video: what each finds in N frames sampled evenly over it, and "
           "its time over the whole video (decoding excluded).",
       .options =
           {Option::path("VIDEO", "a video file").needed(),
            Option::list("detectors", "comma-separated detector names",
                         "centernet,nanodet,movenet,hog"),
            // vision::ComparisonOptions{} (vision/comparison.h, which includes OpenCV).
            Option::integer("frames", "frames sampled for counting", 5),
            Option::integer("max-frames", "time only the first N frames (0 = the whole video)", 0),
            models_option(),
            without_default(Option::number(
                "min-score", "score threshold for every detector (default: each one's own)", 0)),
            without_default(Option::integer(
                "input-size",
                "networks: the longer input side in pixels (default: each model's own)", 0)),
            shared::threads(), Option::flag("json", "print JSON instead of the table")},
       .run = in_module("vision compare"),
       .outputs = {},
       .examples = {{"playsight vision compare clip.avi --detectors centernet,hog --frames 2",
                     "people found by two detectors in 2 sampled frames, and their speed"}},
       .details = ""},
      {.name = "vision models",
       .part = "vision",
       .summary =
           "List the imported models (importing each, which checks the files); with --runs, time "
           "each network alone on a frame (median milliseconds per run).",
       .options = {models_option(),
                   Option::integer("runs", "timed runs per model (0 = only list)", 0),
                   Option::path("frame",
                                "an image or video whose first frame is the input (default: a "
                                "flat grey one)"),
                   shared::threads()},
       .run = in_module("vision models"),
       .outputs = {},
       .examples = {},
       .details = ""},
      {.name = "audience",
       .part = "audience",
       .summary = "Audience of a screen from a camera beside it: passers-by, viewers, dwell and "
                  "attention time, expressions while looking; per second, per minute and in total.",
       .options =
           {Option::text("SOURCE", "a video file or a stream URL (rtsp://...)").needed(),
            shared::out("folder for summary.json, seconds.jsonl, report.html", "audience"),
            Option::text("zone",
                         "polygon in front of the screen, x1,y1;x2,y2;... in pixels (default: the "
                         "whole frame); a person is in it when the bottom centre of their box is"),
            Option::number("look-seconds",
                           "attention (frontal face) a person needs to count as a viewer",
                           audience_defaults.audience.look_seconds),
            Option::integer("every", "analyse every Nth frame", audience_defaults.every),
            Option::text("detector", "person detector", audience_defaults.person_detector),
            Option::text("face-detector",
                         "face detector (with frontal flags and expressions), or none",
                         audience_defaults.face_detector),
            Option::path("annotate",
                         "also write the video with boxes, ids and gaze marks (.avi, MJPG)"),
            Option::path("tracks",
                         "also write every analysed frame's tracked people (id, box, in zone, "
                         "looking) as JSON lines to this file"),
            Option::number(
                "max-missed-seconds",
                "how long a person's track survives without a detection (crossings, misses)",
                audience_defaults.max_missed_seconds),
            Option::number("max-seconds", "stop after this much video (0 = all)",
                           audience_defaults.max_seconds),
            Option::flag("live",
                         "pace a file as a live stream (streams are always paced): skip frames "
                         "when the analysis falls behind, and say how many"),
            models_option("folder of the TF.js models (default: as for detect)"),
            shared::threads()},
       .run = in_module("audience"),
       .outputs = {{"summary", "summary.json", audience::kAudienceKind,
                    "the audience in total and per minute: passers-by, viewers, dwell and "
                    "attention time, expressions"},
                   {"seconds", "seconds.jsonl", "",
                    "one JSON line per second of video, written while it runs"},
                   {"report", "report.html", "", "the report to read"}},
       .examples = {{"playsight audience lobby.mp4 --zone '100,400;700,400;700,576;100,576' "
                     "--out lobby",
                     "who passed the screen and who looked, counting people in the zone only"}},
       .details = "",
       .job = true},
      {.name = "playtest",
       .part = "playtest",
       .summary = "A playtest tester's expressions over a session from a face-cam video or stream: "
                  "per-second timeline, moments, covered-camera stretches, expressions around game "
                  "events.",
       .options = {Option::text("SOURCE", "face-cam video file or stream URL"),
                   shared::out("folder for session.json, seconds.jsonl, report.html", "playtest"),
                   Option::path(
                       "events",
                       "game events CSV: time_s,event[,detail] (seconds from the video's start)"),
                   Option::text("tester", "who played (for the summary)"),
                   Option::text("build", "which game build (for the summary)"),
                   Option::integer("every", "analyse every Nth frame", session_defaults.every),
                   Option::number("max-seconds", "stop after this much video",
                                  session_defaults.max_seconds),
                   Option::flag("live", "pace a file as a live stream"),
                   Option::path(
                       "annotate",
                       "also write the video with the tester's face and top expression (faces "
                       "blurred)"),
                   Option::flag("show-faces",
                                "do not blur faces in the annotated video (ask the tester first)"),
                   Option::number(
                       "min-rise",
                       "how far above the tester's baseline an expression must rise to be a moment",
                       session_defaults.moments.min_rise),
                   Option::text("face-detector", "face detector", session_defaults.face_detector),
                   models_option(), shared::threads()},
       .run = in_module("playtest"),
       .outputs = {{"session", "session.json", playtest::kSessionKind,
                    "the session: per-second expressions, baseline, moments, covered-camera "
                    "stretches, expressions around game events"},
                   {"seconds", "seconds.jsonl", "",
                    "one JSON line per second of video, written while it runs"},
                   {"report", "report.html", "", "the report to read"}},
       .examples = {{"playsight playtest anna.mp4 --events events.csv --tester anna --build 1.2 "
                     "--out anna",
                     "anna's expressions over her session and around the game's events"}},
       .details = "",
       .job = true},
      {.name = "playtest eval",
       .part = "playtest",
       .summary = "Accuracy per class and the confusion matrix of the expression model on labelled "
                  "images (LABELS.csv: path,label).",
       .options = {Option::path("LABELS", "CSV of path,label").needed(),
                   Option::flag("crops",
                                "every image is a face crop (default: images up to 96 px are)"),
                   shared::out("also write the result as JSON here"), models_option()},
       .run = in_module("playtest eval"),
       .outputs = {},
       .examples = {},
       .details = ""},
      {.name = "playtest summary",
       .part = "playtest",
       .summary = "Across sessions: expressions around each kind of game event, per build.",
       .options = {Option::list("SESSIONS", "session.json files").needed(),
                   shared::out("also write the summary as JSON here")},
       .run = in_module("playtest summary"),
       .outputs = {},
       .examples = {{"playsight playtest summary anna/session.json ben/session.json",
                     "the testers of one build side by side"}},
       .details = ""},
  };
}

}  // namespace playsight::tasks
