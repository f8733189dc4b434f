"""Smoke backend: real training on a generated corpus (loss falls, checkpoint written), inference, determinism."""

from __future__ import annotations

import json
import os

import pytest

from conftest import make_corpus, parse_events, run_bridge, write_config
from pixcap_bridge.config import Config
from pixcap_bridge.protocol import Emitter


class Collect:
    """A text stream that keeps the emitted lines."""

    def __init__(self):
        self.lines = []

    def write(self, s):
        self.lines += [l for l in s.splitlines() if l]

    def flush(self):
        pass

    def events(self):
        return [json.loads(l) for l in self.lines]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("smoke")
    corpus, images, rows = make_corpus(root)
    cfg = write_config(root / "run.json", backend="smoke", corpus=str(corpus), split="train", images_root=str(images),
                       steps=40, batch_size=4, lr=0.003, seed=0, device="auto", log_every=1, save_every=20)
    out = root / "out"
    p = run_bridge(["train", "--config", str(cfg), "--output-dir", str(out)])
    assert p.returncode == 0, p.stderr
    return root, corpus, images, rows, out, parse_events(p.stdout)


def test_training_loss_falls_and_checkpoints_are_written(trained):
    root, corpus, images, rows, out, events = trained
    assert events[0]["type"] == "hello" and events[-1] == {"v": 1, "type": "done", "status": "finished"}
    losses = [e["value"] for e in events if e["type"] == "metric" and e["name"] == "loss"]
    steps = [e["step"] for e in events if e["type"] == "metric" and e["name"] == "loss"]
    assert steps == list(range(1, 41))
    first, last = sum(losses[:5]) / 5, sum(losses[-5:]) / 5
    assert last < 0.5 * first, losses
    lrs = [e["value"] for e in events if e["type"] == "metric" and e["name"] == "learning_rate"]
    assert len(lrs) == 40 and max(lrs) == pytest.approx(0.003) and lrs[-1] < lrs[10]
    progress = [(e["step"], e["total"]) for e in events if e["type"] == "progress"]
    assert progress[-1] == (40, 40)
    artifacts = [e for e in events if e["type"] == "artifact"]
    assert [(a["path"], a["kind"]) for a in artifacts] == [("checkpoint-20", "checkpoint"), ("checkpoint-40", "checkpoint")]
    for a in artifacts:
        assert sorted(os.listdir(out / a["path"])) == ["config.json", "model.pt", "tokenizer.json"]
    meta = json.loads((out / "checkpoint-40" / "config.json").read_text())
    assert meta["backend"] == "smoke" and meta["step"] == 40 and meta["train"]["seed"] == 0
    assert not [n for n in os.listdir(out) if n.endswith(".incomplete")]


def test_infer_loads_the_checkpoint_and_answers(trained, tmp_path):
    root, corpus, images, rows, out, _ = trained
    qs = tmp_path / "q.jsonl"
    with open(qs, "w") as f:
        for r in rows[:3]:
            for k, box in enumerate(r["boxes"]):
                f.write(json.dumps({"question_id": f"{r['id']}#{k}", "image": r["image"], "width": r["width"],
                                    "height": r["height"], "boxes": [box],
                                    "text": "What is shown in the area marked by region1 <bbox>?"}) + "\n")
    n = sum(len(r["boxes"]) for r in rows[:3])
    cfg = write_config(tmp_path / "infer.json", backend="smoke", checkpoint=str(out / "checkpoint-40"),
                       questions=str(qs), images_root=str(images), max_new_tokens=12, device="cpu")
    p = run_bridge(["infer", "--config", str(cfg), "--output-dir", str(tmp_path / "inf")])
    assert p.returncode == 0, p.stderr
    events = parse_events(p.stdout)
    assert events[-2] == {"v": 1, "type": "artifact", "path": "answers.jsonl", "kind": "predictions"}
    assert [(e["step"], e["total"]) for e in events if e["type"] == "progress"][-1] == (n, n)
    answers = [json.loads(l) for l in open(tmp_path / "inf" / "answers.jsonl")]
    assert len(answers) == n and all(a["text"] for a in answers)
    # The answer lines of the shared schema (src/schemas/region-qa.ts), with the decoding settings.
    assert answers[0]["model_id"] == "checkpoint-40" and answers[0]["prompt"].startswith("The <image> provides")
    assert answers[0]["metadata"] == {"backend": "smoke", "temperature": 0.0, "max_new_tokens": 12, "seed": 0, "stop": "###"}
    vocab = {w for r in rows for t in r["conversations"] if t["from"] == "gpt" for w in t["value"].split()}
    # A trained model answers in the corpus's caption vocabulary.
    assert all(set(a["text"].split()) <= vocab for a in answers), answers


def test_infer_rejects_a_box_count_mismatch(trained, tmp_path):
    root, corpus, images, rows, out, _ = trained
    qs = tmp_path / "q.jsonl"
    qs.write_text(json.dumps({"question_id": "x", "image": rows[0]["image"], "width": 4, "height": 4, "boxes": [],
                              "text": "what is region1 <bbox>?"}) + "\n")
    cfg = write_config(tmp_path / "infer.json", backend="smoke", checkpoint=str(out / "checkpoint-40"),
                       questions=str(qs), images_root=str(images), device="cpu")
    p = run_bridge(["infer", "--config", str(cfg), "--output-dir", str(tmp_path / "inf")])
    assert p.returncode == 1
    assert parse_events(p.stdout)[-1]["message"] == f"{qs}: [0]: 1 <bbox> tokens but 0 boxes; GPT4RoI assigns the k-th <bbox> to boxes[k], so the counts must be equal"


def test_training_is_deterministic_for_a_seed(tmp_path):
    from pixcap_bridge.smoke.train import train_smoke

    corpus, images, _ = make_corpus(tmp_path, n_images=4)
    runs = []
    for i in range(2):
        cfg = Config({"corpus": str(corpus), "images_root": str(images), "steps": 3, "batch_size": 2, "seed": 7,
                      "device": "cpu", "d_model": 32}, "mem.json")
        sink = Collect()
        train_smoke(cfg, str(tmp_path / f"o{i}"), Emitter(sink))
        runs.append([e["value"] for e in sink.events() if e["type"] == "metric" and e["name"] == "loss"])
    assert runs[0] == runs[1] and len(runs[0]) == 3


def test_infer_reads_vg_prepare_questions_and_writes_the_vg_result_shard(trained, tmp_path):
    root, corpus, images, rows, out, _ = trained
    qs = tmp_path / "questions.jsonl"
    with open(qs, "w") as f:  # the spelling `pixcap eval vg-prepare` writes
        for n, r in enumerate(rows[:3]):
            f.write(json.dumps({"question_id": 100 + n, "image": r["image"], "width": r["width"], "height": r["height"],
                                "text": "The <image> provides an overview of the picture.\nCan you give a description of the region mentioned by `region1 <bbox>`?",
                                "boxes": [r["boxes"][0]]}) + "\n")
    art = tmp_path / "artifacts"
    cfg = write_config(tmp_path / "infer.json", backend="smoke", checkpoint=str(out / "checkpoint-40"), questions=str(qs),
                       images_root=str(images), results_dir=str(art / "results"), temperature=0, max_new_tokens=12,
                       stop="###", seed=0, device="auto")
    p = run_bridge(["infer", "--config", str(cfg), "--output-dir", str(art)])
    assert p.returncode == 0, p.stderr
    arts = [(e["path"], e["kind"]) for e in parse_events(p.stdout) if e["type"] == "artifact"]
    assert arts == [("answers.jsonl", "predictions"), ("results/checkpoint-40_vg_0.json", "predictions")]
    shard = json.loads((art / "results" / "checkpoint-40_vg_0.json").read_text())
    assert [r["image_id"] for r in shard] == [100, 101, 102] and all(isinstance(r["caption"], str) and r["caption"] for r in shard)


def test_sampling_is_seeded(trained):
    from pixcap_bridge.questions import Question
    from pixcap_bridge.smoke.infer import infer_smoke

    root, corpus, images, rows, out, _ = trained
    qs = [Question(k, rows[k]["image"], [rows[k]["boxes"][0]], "what is region1 <bbox>?",
                   "The <image> provides an overview of the picture.\nwhat is region1 <bbox>?") for k in range(3)]

    def run(seed):
        cfg = Config({"checkpoint": str(out / "checkpoint-40"), "images_root": str(images), "temperature": 1.5,
                      "seed": seed, "device": "cpu", "max_new_tokens": 8}, "mem.json")
        return [a for _, a in infer_smoke(cfg, qs, Emitter(Collect()))]

    assert run(3) == run(3)
