"""Reads pixcap output files back with the Hugging Face stack and prints one JSON document on stdout.

usage: hf_readback.py parquet FILE...   -> datasets.load_dataset("parquet", data_files=[...])
       hf_readback.py arrow FILE        -> datasets.Dataset.from_file(FILE)
Output: {"features": Features.to_dict(), "arrow_schema": str, "rows": [...], "row_groups": [...]}
Binary values become {"base64": ...} so the JSON is exact.
"""
import base64
import json
import sys

import datasets
import pyarrow.parquet as pq


def plain(value):
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def main() -> None:
    kind, files = sys.argv[1], sys.argv[2:]
    if kind == "parquet":
        ds = datasets.load_dataset("parquet", data_files=files, split="train")
        row_groups = [pq.ParquetFile(f).metadata.row_group(i).num_rows for f in files for i in range(pq.ParquetFile(f).metadata.num_row_groups)]
        kv = {k.decode(): v.decode() for k, v in (pq.ParquetFile(files[0]).metadata.metadata or {}).items() if k != b"ARROW:schema"}
    elif kind == "arrow":
        ds = datasets.Dataset.from_file(files[0])
        row_groups = []
        kv = {}
    else:
        raise SystemExit(f"unknown kind {kind}")
    # The raw Arrow table, so Image columns stay {bytes, path} instead of being decoded to PIL images.
    rows = ds.data.to_pylist()
    print(json.dumps({"features": ds.features.to_dict(), "arrow_schema": str(ds.data.schema), "rows": plain(rows),
                      "row_groups": row_groups, "footer_kv": kv}))


if __name__ == "__main__":
    main()
