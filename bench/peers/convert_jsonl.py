"""Python peer of `pixcap convert --to gpt4roi` (bench stage `convert` and whole-process case `convert`): reads a
Pix2Cap-COCO JSON and writes the same GPT4RoI region-caption conversations pixcap writes, as JSONL ({"id",
"conversations", "boxes"} per sample). bench/peers/convert_parquet.py reuses `gpt4roi_samples` for its Parquet.

It re-implements pixcap's rules in the most direct way a Python user would (json.load, dicts, lists), so the bench
compares like with like: default filter policy (drop crowd, box side >= 1 and area > 0, captions of >= 3 code points
after trimming), GPT4RoI's 2-px-at-224 box filter, seeded shuffle (mulberry32 + FNV-1a per image, src/util/rng.ts),
chunks of at most --max-regions regions, one template per region from the template file.

usage: convert_jsonl.py ANNOTATIONS TEMPLATES OUT.jsonl [--seed N] [--max-regions N]
Prints one JSON line: {"samples", "regions", "wallMs", "cpuMs", "peakRssMb"}.
"""
import argparse
import json
import math
import resource
import time

M = 0xFFFFFFFF
BEGIN = "The <image> provides an overview of the picture.\n"


def imul(a, b):
    return (a * b) & M


def derive_seed(seed, key):
    h = (0x811C9DC5 ^ seed) & M
    units = key.encode("utf-16-le")
    for i in range(0, len(units), 2):  # charCodeAt: UTF-16 code units, as src/util/rng.ts hashes them
        unit = units[i] | (units[i + 1] << 8)
        h ^= unit
        h = imul(h, 0x01000193)
    return h


class Rng:
    def __init__(self, seed):
        self.a = seed & M

    def next(self):
        self.a = (self.a + 0x6D2B79F5) & M
        t = self.a
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & M
        return ((t ^ (t >> 14)) & M) / 4294967296

    def int(self, n):
        return math.floor(self.next() * n)

    def shuffle(self, items):
        out = list(items)
        for i in range(len(out) - 1, 0, -1):
            j = self.int(i + 1)
            out[i], out[j] = out[j], out[i]
        return out

    def pick(self, items):
        return items[self.int(len(items))]


def chunk_sizes(n, most):
    if n == 0:
        return []
    chunks = -(-n // most)
    base, extra = divmod(n, chunks)
    return [base + (1 if i < extra else 0) for i in range(chunks)]


def gpt4roi_samples(doc, singles, seed, max_regions):
    """Yields (annotation, image, chunk index, kept regions [(bbox, captions, segment)], captions, conversation,
    template ids) for every sample, in file order."""
    images = {im["id"]: im for im in doc["images"]}
    for ann in doc["annotations"]:
        im = images.get(ann["image_id"])
        if im is None:
            continue
        W, H = im["width"], im["height"]
        kept = []
        for s in ann["segments_info"]:
            x, y, w, h = s["bbox"]
            if s.get("iscrowd", 0) or s.get("area", 1) <= 0 or w < 1 or h < 1:
                continue
            d = s.get("description", "")
            caps = [c for c in ([d] if isinstance(d, str) else d) if len(c.strip()) >= 3]
            if not caps or w * 224 <= 2 * W or h * 224 <= 2 * H:
                continue
            kept.append((s["bbox"], caps, s))
        if not kept:
            continue
        rng = Rng(derive_seed(seed, str(ann["image_id"])))
        order = rng.shuffle(kept)
        start = 0
        for chunk, size in enumerate(chunk_sizes(len(order), max_regions)):
            part = order[start:start + size]
            start += size
            captions = [c[0] if len(c) == 1 else rng.pick(c) for _, c, _ in part]
            conv = []
            template_ids = []
            for i, cap in enumerate(captions):
                t = rng.pick(singles)
                template_ids.append(t.get("id"))
                q = t["text"].replace("<region>", f"region{i + 1} <bbox>")
                conv.append({"from": "human", "value": BEGIN + q if i == 0 else q})
                conv.append({"from": "gpt", "value": cap})
            yield ann, im, chunk, part, captions, conv, template_ids


def main():
    p = argparse.ArgumentParser()
    p.add_argument("annotations")
    p.add_argument("templates")
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--max-regions", type=int, default=15)
    a = p.parse_args()
    t0 = time.perf_counter()
    with open(a.templates, encoding="utf-8") as f:
        singles = json.load(f)["single_region"]
    with open(a.annotations, encoding="utf-8") as f:
        doc = json.load(f)
    samples = regions_out = 0
    with open(a.out, "w", encoding="utf-8") as out:
        for ann, im, chunk, part, _, conv, _ in gpt4roi_samples(doc, singles, a.seed, a.max_regions):
            W, H = im["width"], im["height"]
            boxes = [[x / W, y / H, (x + w) / W, (y + h) / H] for (x, y, w, h), _, _ in part]
            out.write(json.dumps({"id": f"{ann['image_id']}-{chunk}", "conversations": conv, "boxes": boxes}, ensure_ascii=False) + "\n")
            samples += 1
            regions_out += len(part)
    wall = (time.perf_counter() - t0) * 1000
    cpu = time.process_time() * 1000
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"samples": samples, "regions": regions_out, "wallMs": round(wall), "cpuMs": round(cpu), "peakRssMb": round(rss)}))


if __name__ == "__main__":
    main()
