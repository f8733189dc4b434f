"""Times pycocoevalcap's pure-Python scorers (Bleu(4), Rouge, Cider) on a bench input, for bench/stages/caption-metrics.ts.

pycocoevalcap is not vendored or installed by pixcap: pass the directory that CONTAINS the `pycocoevalcap` package with
--pycocoevalcap=DIR or PIXCAP_PYCOCOEVALCAP=DIR. Only bleu/, rouge/ and cider/ are imported (no Java needed).
Prints one JSON line: {"ok": true, "ms": {...}, "cpuMs": {...}, "corpus": {...}, "perSample": {...first ids...}, "peakRssMb": ...}
or {"skipped": "..."} when no pycocoevalcap is given.

  python bench/pycocoevalcap_scorers.py --input bench-input.json [--pycocoevalcap=DIR]
"""
import argparse
import json
import os
import resource
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True, help='{"ids": [...], "hyps": [...], "refs": [[...], ...]}')
    ap.add_argument("--pycocoevalcap", default=os.environ.get("PIXCAP_PYCOCOEVALCAP"))
    ap.add_argument("--sample", type=int, default=5, help="per-sample scores returned for this many ids")
    args = ap.parse_args()
    if not args.pycocoevalcap:
        print(json.dumps({"skipped": "set PIXCAP_PYCOCOEVALCAP (or --pycocoevalcap=DIR) to the directory containing pycocoevalcap/"}))
        return
    sys.path.insert(0, args.pycocoevalcap)
    try:
        from pycocoevalcap.bleu.bleu import Bleu
        from pycocoevalcap.cider.cider import Cider
        from pycocoevalcap.rouge.rouge import Rouge
    except ImportError as e:
        print(json.dumps({"skipped": f"cannot import pycocoevalcap from {args.pycocoevalcap}: {e}"}))
        return
    with open(args.input) as f:
        data = json.load(f)
    gts = {i: r for i, r in zip(data["ids"], data["refs"])}
    res = {i: [h] for i, h in zip(data["ids"], data["hyps"])}
    ms, cpu_ms, corpus, per = {}, {}, {}, {i: {} for i in data["ids"][: args.sample]}
    t, c = time.perf_counter(), time.process_time()
    score, scores = Bleu(4).compute_score(gts, res, verbose=0)
    ms["BLEU"] = (time.perf_counter() - t) * 1000
    cpu_ms["BLEU"] = (time.process_time() - c) * 1000
    for k in range(4):
        corpus[f"Bleu_{k + 1}"] = float(score[k])
        for i in per:
            per[i][f"Bleu_{k + 1}"] = float(scores[k][data["ids"].index(i)])
    for name, scorer in (("ROUGE_L", Rouge()), ("CIDEr", Cider())):
        t, c = time.perf_counter(), time.process_time()
        score, scores = scorer.compute_score(gts, res)
        ms[name] = (time.perf_counter() - t) * 1000
        cpu_ms[name] = (time.process_time() - c) * 1000
        corpus[name] = float(score)
        for i in per:
            per[i][name] = float(scores[data["ids"].index(i)])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"ok": True, "ms": ms, "cpuMs": cpu_ms, "corpus": corpus, "perSample": per, "peakRssMb": peak}))


if __name__ == "__main__":
    main()
