"""Python peer of `pixcap validate --panoptic-dir` (whole-process case `verify-masks`): checks every annotation's
panoptic PNG against its segments_info with numpy + PIL, the way panopticapi's converters and sanity checks read
PNGs (id = R + 256*G + 256^2*B, utils.rgb2id), over a multiprocessing pool of one process per core.

Checks (the same as src/io/png/verify-masks.ts): the PNG exists and has the image's size; every segments_info id is in
the PNG; every non-VOID id in the PNG is listed; each segment's bbox (tight extent, w = maxX - minX + 1) and area
(pixel count) equal the pixel-derived ones.

usage: verify_masks.py ANNOTATIONS PANOPTIC_DIR
Prints one JSON line: {"images", "segments", "issues", "wallMs", "cpuMs"}.
"""
import json
import multiprocessing
import os
import sys
import time

import numpy as np
from PIL import Image


def check(task):
    png_path, width, height, segments = task
    issues = []
    try:
        rgb = np.array(Image.open(png_path), dtype=np.uint32)  # panopticapi: np.array(Image.open(f), dtype=np.uint32)
    except (OSError, ValueError) as e:
        return [f"{png_path}: {e}"]
    if rgb.shape[0] != height or rgb.shape[1] != width:
        return [f"{png_path}: size {rgb.shape[1]}x{rgb.shape[0]}, JSON says {width}x{height}"]
    ids = rgb[:, :, 0] + 256 * rgb[:, :, 1] + 256 * 256 * rgb[:, :, 2]
    labels, areas = np.unique(ids, return_counts=True)
    found = {int(l): int(a) for l, a in zip(labels, areas) if l != 0}
    for s in segments:
        sid = s["id"]
        if sid not in found:
            issues.append(f"{png_path}: segment {sid} not in the PNG")
            continue
        if found.pop(sid) != s["area"]:
            issues.append(f"{png_path}: segment {sid} area differs")
        ys, xs = np.nonzero(ids == sid)
        box = [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)]
        if box != [int(v) for v in s["bbox"]]:
            issues.append(f"{png_path}: segment {sid} bbox {s['bbox']} vs {box}")
    for sid in found:
        issues.append(f"{png_path}: id {sid} not in segments_info")
    return issues


def main():
    annotations, panoptic_dir = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    with open(annotations, encoding="utf-8") as f:
        doc = json.load(f)
    images = {im["id"]: im for im in doc["images"]}
    tasks = []
    for ann in doc["annotations"]:
        im = images[ann["image_id"]]
        tasks.append((os.path.join(panoptic_dir, ann["file_name"]), im["width"], im["height"], ann["segments_info"]))
    issues = 0
    with multiprocessing.Pool(os.cpu_count()) as pool:
        for found in pool.imap(check, tasks, chunksize=16):
            issues += len(found)
    wall = (time.perf_counter() - t0) * 1000
    print(json.dumps({"images": len(tasks), "segments": sum(len(t[3]) for t in tasks), "issues": issues, "wallMs": round(wall), "cpuMs": round(time.process_time() * 1000)}))


if __name__ == "__main__":
    main()
