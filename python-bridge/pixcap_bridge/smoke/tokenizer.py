"""A word-level tokenizer built from the corpus, with GPT4RoI's special tokens (gpt4roi.md §2).

`<image>` expands to `<im_start>` + n x `<im_patch>` + `<im_end>` (GPT4RoI: 256 patches; the smoke model uses
its own patch grid), `<bbox>` stays one token whose embedding the model replaces with a region feature, and `###`
is the turn separator and stop string of the v0 template (gpt4roi.md §4).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Iterable

PAD, UNK, BOS = "<pad>", "<unk>", "<bos>"
IM_START, IM_PATCH, IM_END, BBOX, SEP = "<im_start>", "<im_patch>", "<im_end>", "<bbox>", "###"
SPECIALS = [PAD, UNK, BOS, IM_START, IM_PATCH, IM_END, BBOX, SEP]
_WORD = re.compile(r"<image>|<bbox>|###|[a-z0-9]+|[^\sa-z0-9]")


def split_words(text: str) -> list[str]:
    """Lower-cases and splits into words, punctuation marks and the `<image>` / `<bbox>` / `###` markers."""
    return _WORD.findall(text.lower())


class WordTokenizer:
    """Maps words to ids; unknown words map to `<unk>`."""

    def __init__(self, tokens: list[str]):
        if tokens[: len(SPECIALS)] != SPECIALS:
            raise ValueError("tokenizer vocabulary must start with the special tokens " + " ".join(SPECIALS))
        self.tokens = tokens
        self.ids = {t: i for i, t in enumerate(tokens)}

    @classmethod
    def build(cls, texts: Iterable[str], min_count: int = 1) -> "WordTokenizer":
        """Vocabulary ordered by frequency then alphabetically, so the same corpus always gives the same ids."""
        counts = Counter(w for t in texts for w in split_words(t) if w not in ("<image>", BBOX, SEP))
        words = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
        return cls(SPECIALS + words)

    def __len__(self) -> int:
        return len(self.tokens)

    def id(self, token: str) -> int:
        return self.ids.get(token, self.ids[UNK])

    def encode(self, text: str, patches: int) -> list[int]:
        """Word ids of `text`, with `<image>` expanded to `patches` patch tokens between start and end markers."""
        out: list[int] = []
        for w in split_words(text):
            if w == "<image>":
                out += [self.ids[IM_START]] + [self.ids[IM_PATCH]] * patches + [self.ids[IM_END]]
            else:
                out.append(self.id(w))
        return out

    def decode(self, ids: Iterable[int]) -> str:
        words = [self.tokens[i] for i in ids if self.tokens[i] not in (PAD, BOS)]
        text = " ".join(words)
        return re.sub(r" ([.,!?;:')])", r"\1", text).replace("( ", "(")

    def to_json(self) -> str:
        return json.dumps({"type": "pixcap-word", "tokens": self.tokens}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "WordTokenizer":
        data = json.loads(text)
        return cls(list(data["tokens"]))
