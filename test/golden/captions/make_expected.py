"""Writes expected.json for every golden caption case from pycocoevalcap's pure-Python scorers.

pycocoevalcap is not vendored: point PIXCAP_PYCOCOEVALCAP (or --pycocoevalcap) at a directory that CONTAINS the
`pycocoevalcap` package (salaniz/pycocoevalcap @ ad63453; only bleu/, rouge/, cider/ are imported, so no Java).

  python make_expected.py --pycocoevalcap /tmp/pycoco [--generate] [case ...]

--generate first (re)writes input.json of the generated cases (gen-*) from a seeded Python RNG.
"""
import argparse
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

VOCAB = "a the man woman dog cat on in with of red blue table street riding sitting two near grass horse".split()


def sentence(rng, lo, hi, vocab):
    return " ".join(rng.choice(vocab) for _ in range(rng.randint(lo, hi)))


def generated_inputs():
    """Deterministic inputs: repeated n-grams (tiny vocabulary), many references, long hypotheses, odd spacing."""
    cases = {}
    rng = random.Random(20260101)
    cases["gen-repeated-ngrams"] = [
        {"id": f"r{i}", "hyp": sentence(rng, 1, 25, VOCAB[:6]),
         "refs": [sentence(rng, 1, 25, VOCAB[:8]) for _ in range(rng.randint(1, 6))]}
        for i in range(60)
    ]
    rng = random.Random(7)
    cases["gen-many-refs"] = [
        {"id": str(1000 + i), "hyp": sentence(rng, 5, 15, VOCAB),
         "refs": [sentence(rng, 3, 18, VOCAB) for _ in range(rng.randint(15, 25))]}
        for i in range(25)
    ]
    rng = random.Random(99)
    cases["gen-long-hyps"] = [
        {"id": f"img-{i}", "hyp": sentence(rng, 40, 90, VOCAB),
         "refs": [sentence(rng, 30, 80, VOCAB) for _ in range(5)]}
        for i in range(140)
    ]
    rng = random.Random(3)
    spaced = []
    for i in range(12):
        words = sentence(rng, 2, 12, VOCAB).split(" ")
        hyp = "".join(w + rng.choice([" ", " ", "  ", "\t"]) for w in words).strip()
        spaced.append({"id": f"s{i}", "hyp": hyp, "refs": [sentence(rng, 2, 12, VOCAB) for _ in range(3)]})
    spaced.append({"id": "s-empty", "hyp": "", "refs": ["a cat", "the dog"]})
    cases["gen-odd-spacing"] = spaced
    return cases


def compute(pycoco_dir, samples):
    sys.path.insert(0, pycoco_dir)
    from pycocoevalcap.bleu.bleu import Bleu
    from pycocoevalcap.cider.cider import Cider
    from pycocoevalcap.rouge.rouge import Rouge

    gts = {s["id"]: list(s["refs"]) for s in samples}
    res = {s["id"]: [s["hyp"]] for s in samples}
    ids = list(gts.keys())
    corpus, per = {}, {i: {} for i in ids}
    bleu, bleu_per = Bleu(4).compute_score(gts, res, verbose=0)
    for k in range(4):
        corpus[f"Bleu_{k + 1}"] = float(bleu[k])
        for i, v in zip(ids, bleu_per[k]):
            per[i][f"Bleu_{k + 1}"] = float(v)
    for name, scorer in (("ROUGE_L", Rouge()), ("CIDEr", Cider())):
        score, scores = scorer.compute_score(gts, res)
        corpus[name] = float(score)
        for i, v in zip(ids, scores):
            per[i][name] = float(v)
    return {"corpus": corpus, "perSample": per}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pycocoevalcap", default=os.environ.get("PIXCAP_PYCOCOEVALCAP"))
    ap.add_argument("--generate", action="store_true")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    if not args.pycocoevalcap:
        sys.exit("set PIXCAP_PYCOCOEVALCAP or pass --pycocoevalcap DIR (the directory containing pycocoevalcap/)")
    if args.generate:
        for name, samples in generated_inputs().items():
            os.makedirs(os.path.join(HERE, name), exist_ok=True)
            with open(os.path.join(HERE, name, "input.json"), "w") as f:
                json.dump({"samples": samples}, f, indent=1)
                f.write("\n")
    names = args.cases or sorted(d for d in os.listdir(HERE) if os.path.isfile(os.path.join(HERE, d, "input.json")))
    for name in names:
        with open(os.path.join(HERE, name, "input.json")) as f:
            samples = json.load(f)["samples"]
        out = compute(args.pycocoevalcap, samples)
        with open(os.path.join(HERE, name, "expected.json"), "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")
        print(name, json.dumps(out["corpus"]))


if __name__ == "__main__":
    main()
