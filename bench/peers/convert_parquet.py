"""Python peer of `pixcap convert --to gpt4roi --format parquet,arrow` (whole-process case `convert`): what a
researcher would write with the json module and pyarrow. Same samples as pixcap (the rules of convert_jsonl.py), the
same columns and types as pixcap's gpt4roi Parquet, SNAPPY (as pixcap), row groups of 10,000 rows, plus the same rows as an Arrow
IPC stream (what `datasets` reads). Not written: pixcap's rejects file, manifest and checksums.

usage: convert_parquet.py ANNOTATIONS TEMPLATES OUT_DIR [--seed N] [--max-regions N]
Prints one JSON line: {"samples", "regions", "wallMs", "cpuMs", "peakRssMb"}.
"""
import argparse
import json
import os
import resource
import time

import pyarrow as pa
import pyarrow.parquet as pq

from convert_jsonl import gpt4roi_samples

ROW_GROUP_ROWS = 10_000  # src/io/corpus/parquet-writer.ts TEXT_ROW_GROUP_ROWS

SCHEMA = pa.schema([
    ("id", pa.string()),
    ("image", pa.string()),
    ("image_id", pa.string()),
    ("width", pa.int32()),
    ("height", pa.int32()),
    ("conversations", pa.list_(pa.struct([("from", pa.string()), ("value", pa.string())]))),
    ("boxes", pa.list_(pa.list_(pa.float32()))),
    ("regions", pa.list_(pa.struct([
        ("region_id", pa.string()), ("segment_id", pa.int32()), ("category_id", pa.int32()),
        ("category", pa.string()), ("bbox", pa.list_(pa.float32())), ("caption", pa.string()),
    ]))),
    ("template_ids", pa.list_(pa.string())),
    ("source", pa.string()),
    ("split", pa.string()),
    ("masks", pa.list_(pa.struct([("size", pa.list_(pa.int32())), ("counts", pa.string())]))),
])


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
    categories = {c["id"]: c["name"] for c in doc["categories"]}
    os.makedirs(a.out, exist_ok=True)
    rows = []
    regions_out = 0
    for ann, im, chunk, part, captions, conv, template_ids in gpt4roi_samples(doc, singles, a.seed, a.max_regions):
        W, H = im["width"], im["height"]
        rows.append({
            "id": f"{ann['image_id']}-{chunk}",
            "image": im["file_name"],
            "image_id": str(ann["image_id"]),
            "width": W,
            "height": H,
            "conversations": conv,
            "boxes": [[x / W, y / H, (x + w) / W, (y + h) / H] for (x, y, w, h), _, _ in part],
            "regions": [{
                "region_id": f"{ann['image_id']}:{s['id']}", "segment_id": s["id"], "category_id": s["category_id"],
                "category": categories.get(s["category_id"]), "bbox": list(bbox), "caption": cap,
            } for (bbox, _, s), cap in zip(part, captions)],
            "template_ids": template_ids,
            "source": "pix2cap-coco",
            "split": "train",
            "masks": [],
        })
        regions_out += len(part)
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    pq.write_table(table, os.path.join(a.out, "train.parquet"), compression="snappy", row_group_size=ROW_GROUP_ROWS)
    with pa.OSFile(os.path.join(a.out, "train.arrow"), "wb") as sink, pa.ipc.new_stream(sink, SCHEMA) as writer:
        for batch in table.to_batches(max_chunksize=1000):
            writer.write_batch(batch)
    wall = (time.perf_counter() - t0) * 1000
    cpu = time.process_time() * 1000
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"samples": len(rows), "regions": regions_out, "wallMs": round(wall), "cpuMs": round(cpu), "peakRssMb": round(rss)}))


if __name__ == "__main__":
    main()
