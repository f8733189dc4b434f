"""The Python peer of the `conversation-sources` bench stage: how GPT4RoI's loaders read the same files.
LLaVA-Instruct-150k: `json.load` of the whole array (gpt4roi/datasets/det_llava.py DetLLava.__init__).
VCR: each line `json.loads`, and each line's metadata file `json.load`ed from the images root, boxes to a numpy array
(gpt4roi/datasets/vcr.py VCRDataset.load_annotations, without the text rewriting).

usage: python conversation_peer.py llava <file>                 -> {"items": n, "seconds": s}
       python conversation_peer.py vcr <train.jsonl> <images>   -> {"items": n, "seconds": s}
"""
import json
import os
import sys
import time

import numpy as np


def llava(path):
    t0 = time.perf_counter()
    items = json.load(open(path, "r"))
    return len(items), time.perf_counter() - t0


def vcr(path, images):
    t0 = time.perf_counter()
    with open(path, "r") as f:
        anns = [json.loads(line) for line in f]
    infos = []
    for ann in anns:
        boxes = np.array(json.load(open(os.path.join(images, ann["metadata_fn"])))["boxes"])
        infos.append((os.path.join(images, ann["img_fn"]), boxes, ann["objects"]))
    return len(infos), time.perf_counter() - t0


if __name__ == "__main__":
    kind = sys.argv[1]
    n, s = llava(sys.argv[2]) if kind == "llava" else vcr(sys.argv[2], sys.argv[3])
    print(json.dumps({"items": n, "seconds": s}))
