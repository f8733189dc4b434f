"""Writes <case>/expected.json with cocodataset/panopticapi's pq_compute internals, imported from a user's checkout.

Usage: python test/golden/pq/run-panopticapi.py --panopticapi /path/to/panopticapi --cores 2 test/golden/pq/<case> ...
panopticapi splits images over multiprocessing.cpu_count() processes; --cores fixes that number so the IoU sums are
added in a known order (the TS test passes the same value as panopticapiCores). Empty groups (a ZeroDivisionError in
pq_average) are recorded as null.
"""
import argparse
import json
import multiprocessing
import os
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument('--panopticapi', required=True)
ap.add_argument('--cores', type=int, default=2)
ap.add_argument('cases', nargs='+')
args = ap.parse_args()
sys.path.insert(0, args.panopticapi)
multiprocessing.cpu_count = lambda: args.cores
from panopticapi import evaluation  # noqa: E402

commit = subprocess.run(['git', '-C', args.panopticapi, 'rev-parse', 'HEAD'], capture_output=True, text=True).stdout.strip() or None

for case in args.cases:
    with open(os.path.join(case, 'gt.json')) as f:
        gt_json = json.load(f)
    with open(os.path.join(case, 'pred.json')) as f:
        pred_json = json.load(f)
    categories = {el['id']: el for el in gt_json['categories']}
    preds = {el['image_id']: el for el in pred_json['annotations']}
    pairs = [(g, preds[g['image_id']]) for g in gt_json['annotations']]
    stat = evaluation.pq_compute_multi_core(pairs, os.path.join(case, 'gt'), os.path.join(case, 'pred'), categories)
    out = {'panopticapi_commit': commit, 'cores': args.cores}
    for name, isthing in [('All', None), ('Things', True), ('Stuff', False)]:
        try:
            res, per_class = stat.pq_average(categories, isthing=isthing)
            out[name] = {k: (int(v) if k == 'n' else float(v)) for k, v in res.items()}
        except ZeroDivisionError:
            out[name] = None
        if name == 'All':
            out['per_class'] = {str(k): {m: float(x) for m, x in v.items()} for k, v in per_class.items()}
    out['stats'] = {str(k): {'iou': float(v.iou), 'tp': int(v.tp), 'fp': int(v.fp), 'fn': int(v.fn)}
                    for k, v in sorted(stat.pq_per_cat.items())}
    with open(os.path.join(case, 'expected.json'), 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    print(case, out['All'])
