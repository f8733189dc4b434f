"""The Python peer of the `phash` bench stage: the DCT pHash as a researcher writes it with numpy + PIL, following
imagehash.phash (JohannesBuchner/imagehash imagehash/__init__.py): convert('L'), resize 32x32 with LANCZOS,
2-D DCT-II, top-left 8x8, > median. scipy is not in the venv, so the DCT is a matrix product with the DCT-II
basis (the same numbers as scipy.fftpack.dct up to its constant factor, which the median threshold ignores).
Near-duplicate search is the usual numpy brute force: XOR one query against every hash, popcount, threshold.

usage: python phash_peer.py hash <file-list.txt>            -> one JSON line: {"hashes": [...hex], "seconds": s}
       python phash_peer.py search <hashes.txt> <radius> <queries>
                                                            -> {"queries": q, "pairs": p, "seconds": s}
"""
import json
import sys
import time

import numpy as np
from PIL import Image

N = 32
K = 8
_n = np.arange(N)
BASIS = np.cos(np.pi * np.outer(np.arange(N), 2 * _n + 1) / (2 * N))  # BASIS[k, n]


def phash(path):
    image = Image.open(path).convert("L").resize((N, N), Image.LANCZOS)
    pixels = np.asarray(image, dtype=np.float64)
    dct = BASIS @ pixels @ BASIS.T  # dct(dct(pixels, axis=0), axis=1) without scipy's factor 4
    low = dct[:K, :K]
    bits = (low > np.median(low)).flatten()
    return "".join("1" if b else "0" for b in bits)


def to_hex(bits):
    return "{:016x}".format(int(bits, 2))


def cmd_hash(list_file):
    files = [line.strip() for line in open(list_file) if line.strip()]
    t0 = time.perf_counter()
    hashes = [to_hex(phash(f)) for f in files]
    print(json.dumps({"hashes": hashes, "seconds": time.perf_counter() - t0}))


def popcount64(x):
    # bit tricks on uint64 arrays (numpy < 2 has no bitwise_count)
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return (x * np.uint64(0x0101010101010101)) >> np.uint64(56)


def cmd_search(hash_file, radius, queries):
    hashes = np.array([int(line, 16) for line in open(hash_file) if line.strip()], dtype=np.uint64)
    radius = int(radius)
    queries = min(int(queries), len(hashes))
    t0 = time.perf_counter()
    pairs = 0
    for i in range(queries):
        d = popcount64(np.bitwise_xor(hashes[i + 1:], hashes[i]))
        pairs += int(np.count_nonzero(d <= radius))
    print(json.dumps({"queries": queries, "pairs": pairs, "seconds": time.perf_counter() - t0}))


if __name__ == "__main__":
    if sys.argv[1] == "hash":
        cmd_hash(sys.argv[2])
    else:
        cmd_search(sys.argv[2], sys.argv[3], sys.argv[4])
