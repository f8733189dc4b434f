"""Runs cocodataset/panopticapi's pq_compute on a bench set, for `npm run bench` (bench/stages/pq.ts).

Usage: python bench/stages/pq_panopticapi.py --panopticapi DIR GT_JSON GT_DIR PRED_JSON PRED_DIR [--cpu-sample N]
Imports panopticapi from the user's checkout DIR at run time. Prints one JSON line on stdout:
{"wall_s", "cores", "All", "Things", "Stuff", "cpu_ms_per_image", "main_peak_rss_mb"}; panopticapi's own progress goes to stderr.
`cpu_ms_per_image` is process CPU time of pq_compute_single_core over the first N pairs (0 = skip): a number that
machine contention does not inflate, unlike wall time.
"""
import argparse
import contextlib
import json
import multiprocessing
import resource
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument('--panopticapi', required=True)
ap.add_argument('--cpu-sample', type=int, default=0)
ap.add_argument('gt_json')
ap.add_argument('gt_dir')
ap.add_argument('pred_json')
ap.add_argument('pred_dir')
a = ap.parse_args()
sys.path.insert(0, a.panopticapi)
from panopticapi import evaluation  # noqa: E402

out = {'cores': multiprocessing.cpu_count()}
with contextlib.redirect_stdout(sys.stderr):
    t = time.perf_counter()
    res = evaluation.pq_compute(a.gt_json, a.pred_json, a.gt_dir, a.pred_dir)
    out['wall_s'] = time.perf_counter() - t
    for k in ('All', 'Things', 'Stuff'):
        out[k] = {m: float(v) for m, v in res[k].items()}
    if a.cpu_sample > 0:
        with open(a.gt_json) as f:
            gt = json.load(f)
        with open(a.pred_json) as f:
            pred = {p['image_id']: p for p in json.load(f)['annotations']}
        cats = {c['id']: c for c in gt['categories']}
        pairs = [(g, pred[g['image_id']]) for g in gt['annotations'][:a.cpu_sample]]
        c = time.process_time()
        evaluation.pq_compute_single_core(0, pairs, a.gt_dir, a.pred_dir, cats)
        out['cpu_ms_per_image'] = (time.process_time() - c) * 1000 / len(pairs)
# ru_maxrss is in KiB on Linux; the pool's worker processes are never reaped by pq_compute, so only the main process.
out['main_peak_rss_mb'] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps(out))
