#!/usr/bin/env python3
"""Counts the walking people each detector finds on vtest.avi against a hand count.

bench/vision_people_truth.csv holds, for the 5 frames `playsight vision compare --frames 5`
samples (79, 238, 397, 556, 715), the centre of every person counted by eye (31 people; partly
hidden ones included). A detection is a true positive when its box contains a counted centre not
yet matched (boxes taken by score, highest first); any other person box is a false positive.

    bench/vision_count_people.py [DETECTOR ...]     (default: centernet nanodet movenet hog)
    bench/vision_count_people.py nanodet -- --min-score 0.4    (flags for playsight detect)
"""
import csv
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VIDEO = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"


def truth():
    people = {}
    with open(os.path.join(ROOT, "bench", "vision_people_truth.csv")) as f:
        for row in csv.DictReader(f):
            people.setdefault(int(row["frame"]), []).append((float(row["x"]), float(row["y"])))
    return people


def detections(detector, frames, extra):
    command = [os.path.join(ROOT, "build", "playsight"), "detect", VIDEO, "--detector", detector,
               "--frames", ",".join(str(f) for f in frames), "--max-frames", str(max(frames) + 1)] + extra
    found = {}
    for line in subprocess.run(command, check=True, capture_output=True, text=True).stdout.splitlines():
        record = json.loads(line)
        found[record["frame"]] = [d for d in record["detections"] if d["label"] == "person"]
    return found


def score(detector, people, extra):
    found = detections(detector, sorted(people), extra)
    hits = false = 0
    for frame, centres in people.items():
        left = list(centres)
        for d in sorted(found.get(frame, []), key=lambda d: -d["score"]):
            box = d["box"]
            match = next((c for c in left if box["x1"] <= c[0] <= box["x2"] and box["y1"] <= c[1] <= box["y2"]), None)
            if match:
                left.remove(match)
                hits += 1
            else:
                false += 1
    return hits, false


def main():
    people = truth()
    total = sum(len(c) for c in people.values())
    print(f"{'detector':12} {'found':>6} {'of':>4} {'recall':>7} {'false':>6}")
    args = sys.argv[1:]
    extra = args[args.index("--") + 1:] if "--" in args else []
    names = args[:args.index("--")] if "--" in args else args
    for detector in names or ["centernet", "nanodet", "movenet", "hog"]:
        hits, false = score(detector, people, extra)
        print(f"{detector:12} {hits:6d} {total:4d} {hits / total:7.0%} {false:6d}")


if __name__ == "__main__":
    main()
