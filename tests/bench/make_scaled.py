#!/usr/bin/env python3
"""Scaled corpora for `make bench-scale` (tests/bench/scale).

Writes N JSON-Lines records made from the shared German news and reports
(../shared/data/*.jsonl): the source records are shuffled once with a fixed
seed, then taken in that order again and again, so every size has the same
mix of short news and long legal texts and the same bytes per document.
Record i is a function of i alone, so the 10k corpus is the first 10k
records of the 50k one.

Each record gets a new id (<original id>#c<copy>) and a light perturbation
so that the vocabulary keeps growing with the corpus instead of stopping
at the source's: in every record a few percent of the distinct capitalised
words (nouns, names) are replaced, consistently within the record, by

  - a new compound of two nouns of the corpus (Kohle + Verwaltung ->
    Kohleverwaltung, with a Fugen-s after -ung/-heit/-keit/...), so the
    compound splitter works on it as on real compounds, or
  - an invented place name in the central-German pattern (Wendritz,
    Kamsleben, Brosenroda),

and a share of the numbers get other digits of the same length. The
synthetic word is drawn from a heavy-tailed (Lomax) distribution over an
unbounded list of candidates, so the most frequent ones repeat across
records like real words do and the count of new words grows sublinearly
with the corpus (Heaps' law) rather than one per replacement.

Distinct words (\\w+ surface forms, case-sensitive) with the defaults
(rate 0.04, numbers 0.3), measured; the source alone (9,157 records) has
194,058:
      2,000 docs:    89,843 (8,429 synthetic)
      6,000 docs:   180,561 (25,154 synthetic)
     10,000 docs:   238,289 (42,523 synthetic)
     50,000 docs:   396,364 (191,923 synthetic)
    250,000 docs:  about 1 million (extrapolated: ~800k synthetic; not run)

Usage: make_scaled.py [--rate R] [--num-rate R] N OUT.jsonl SOURCE.jsonl...
Prints one line of figures to stderr:
  docs N bytes B distinct_words W synthetic_words S replaced R nouns K
"""

import argparse
import json
import random
import re
import sys
from collections import Counter

SHUFFLE_SEED = 20250101
# Share of a record's distinct capitalised words that are replaced.
DEFAULT_RATE = 0.04
# Share of a record's distinct numbers that get other digits.
DEFAULT_NUM_RATE = 0.3
# Lomax shape and scale for the candidate index: half the draws fall on
# the first 500,000 candidates, the other half on an unbounded tail. Most
# synthetic words are therefore new, as most words of a bigger real corpus
# are rare ones: 10k documents get ~40k of them, 250k documents ~800k
# (Heaps' law with an exponent near 0.6, like real German text).
LOMAX_ALPHA = 1.0
LOMAX_SCALE = 500000.0
# Share of replacements that are compounds (the rest are place names).
COMPOUND_SHARE = 0.6
# Nouns for compounds: capitalised words seen at least this often whose
# lower-case form is rarer (which drops sentence-initial "Diese", "Auch").
NOUN_MIN_COUNT = 20
NOUN_MAX_LEN = 12

TARGET = re.compile(r"\b(?:[A-ZÄÖÜ][a-zäöüß]{3,}|[0-9]+)\b")
NOUN = re.compile(r"\b[A-ZÄÖÜ][a-zäöüß]{3,%d}\b" % (NOUN_MAX_LEN - 1))
WORD = re.compile(r"\w+")
FUGEN_S = ("ung", "heit", "keit", "schaft", "tät", "ion", "tum", "ling")

ONSETS = ("W", "Br", "K", "Gr", "L", "M", "N", "Pl", "R", "S", "Schk",
          "St", "Z", "Zw", "D", "G", "Kr", "T", "B", "H")
VOWELS = ("a", "e", "i", "o", "u", "ö", "ü", "au", "ei")
CODAS = ("nd", "m", "s", "l", "r", "n", "ck", "rt", "b", "lz", "d", "g")
SUFFIXES = ("itz", "witz", "au", "ow", "ingen", "hausen", "stedt",
            "leben", "roda", "dorf", "ritz", "schütz", "berg", "heim")


def mix(k):
    """splitmix64: spreads a candidate index over 64 bits."""
    k = (k + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    k = ((k ^ (k >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    k = ((k ^ (k >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return k ^ (k >> 31)


def pick(seq, h, shift):
    return seq[(h >> shift) % len(seq)]


def compound(nouns, k):
    h = mix(2 * k)
    a, b = pick(nouns, h, 0), pick(nouns, h, 24)
    link = "s" if a.endswith(FUGEN_S) else ""
    return a + link + b.lower()


def place(k):
    """One or two syllables and a suffix: about 5 million names."""
    h = mix(2 * k + 1)
    name = pick(ONSETS, h, 0) + pick(VOWELS, h, 8) + pick(CODAS, h, 16)
    if (h >> 32) % 2:
        name += pick(ONSETS, h, 40).lower() + pick(VOWELS, h, 48)
    return name + pick(SUFFIXES, h, 24)


def draw(rng):
    u = 1.0 - rng.random()  # (0, 1]
    return int(LOMAX_SCALE * (u ** (-1.0 / LOMAX_ALPHA) - 1.0))


def new_number(rng, s):
    digits = [str(rng.randrange(10)) for _ in s]
    if len(s) > 1:
        digits[0] = str(rng.randrange(1, 10))
    return "".join(digits)


class Perturber:
    """Replaces words in one record; remembers what it made."""

    def __init__(self, nouns, rate, num_rate):
        self.nouns = nouns
        self.rate = rate
        self.num_rate = num_rate
        self.synthetic = set()
        self.replaced = 0

    def synth(self, rng, word):
        if word.isdigit():
            if rng.random() < self.num_rate:
                return new_number(rng, word)
            return word
        if rng.random() >= self.rate:
            return word
        k = draw(rng)
        if rng.random() < COMPOUND_SHARE:
            new = compound(self.nouns, k)
        else:
            new = place(k)
        self.synthetic.add(new)
        return new

    def text(self, rng, mapping, s):
        def sub(m):
            w = m.group(0)
            new = mapping.get(w)
            if new is None:
                new = mapping[w] = self.synth(rng, w)
            if new != w:
                self.replaced += 1
            return new
        return TARGET.sub(sub, s) if s else s


def load(paths):
    recs = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            recs.extend(json.loads(line) for line in f if line.strip())
    random.Random(SHUFFLE_SEED).shuffle(recs)
    return recs


def nouns_of(recs):
    caps = Counter()
    lower = Counter()
    for r in recs:
        body = r.get("body") or ""
        caps.update(NOUN.findall(body))
        lower.update(WORD.findall(body.lower()))
    return sorted(w for w, n in caps.items()
                  if n >= NOUN_MIN_COUNT and lower[w] - n < n / 2
                  and w.lower() not in ("dass", "diese", "dieser"))


def write(n, out, recs, pert):
    vocab = set()
    nbytes = 0
    for i in range(n):
        copy, j = divmod(i, len(recs))
        r = dict(recs[j])
        rng = random.Random(copy * 1000003 + j)
        mapping = {}
        r["id"] = "%s#c%d" % (r["id"], copy)
        r["title"] = pert.text(rng, mapping, r.get("title"))
        r["body"] = pert.text(rng, mapping, r.get("body"))
        vocab.update(WORD.findall(r["body"] or ""))
        vocab.update(WORD.findall(r["title"] or ""))
        line = json.dumps(r, ensure_ascii=False) + "\n"
        nbytes += len(line.encode("utf-8"))
        out.write(line)
    return nbytes, len(vocab)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rate", type=float, default=DEFAULT_RATE)
    ap.add_argument("--num-rate", type=float, default=DEFAULT_NUM_RATE)
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("sources", nargs="+")
    a = ap.parse_args()
    recs = load(a.sources)
    if not recs:
        sys.exit("make_scaled: no records in %s" % " ".join(a.sources))
    pert = Perturber(nouns_of(recs), a.rate, a.num_rate)
    with open(a.out, "w", encoding="utf-8") as out:
        nbytes, distinct = write(a.n, out, recs, pert)
    print("docs %d bytes %d distinct_words %d synthetic_words %d "
          "replaced %d nouns %d" % (a.n, nbytes, distinct,
                                    len(pert.synthetic), pert.replaced,
                                    len(pert.nouns)), file=sys.stderr)


if __name__ == "__main__":
    main()
