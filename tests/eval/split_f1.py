#!/usr/bin/env python3
"""Measure the compound splitter against a GermaNet gold file.

A measuring script, not a test. Usage:
  tests/eval/split_f1.py GOLD.tsv [--findling BUILD/findling] [-- ARGS...]
ARGS go to `findling analyze --split` (e.g. --freq FILE, --dict PATH).

Gold lines are `compound<TAB>modifier+head`, `|` separating alternative
lemmas (format: /work/shared/eval/compounds-README.md). The gold split of a
compound is expanded recursively with the same file: the modifier's and the
head's own gold splits add split points inside them. Only compounds without
'-' or ' ' are evaluated. Reports split-point precision, recall and F1
(micro, over all compounds), binary top-split accuracy and the rate of
wrongly split simplex words on the negative set: gold heads that are not
compounds of the file themselves.
"""
import argparse
import subprocess
import sys


def load_gold(path):
    gold = {}
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or "\t" not in line:
            continue
        comp, parts = line.split("\t", 1)
        if "+" not in parts:
            continue
        mod, head = parts.rsplit("+", 1)
        lc = comp.lower()
        point = None
        for h in head.split("|"):
            if h and lc.endswith(h.lower()) and len(h) < len(comp):
                point = len(comp) - len(h)
                break
        gold[lc] = (comp, point, [m.lower() for m in mod.split("|")],
                    head.split("|")[0])
    return gold


def expand(word, gold, memo, depth=0):
    """Split points (character offsets) of word, recursively."""
    if word in memo:
        return memo[word]
    memo[word] = set()  # cycle guard
    ent = gold.get(word)
    if ent is None or ent[1] is None or depth > 10:
        return set()
    _, p, mods, _ = ent
    pts = {p}
    for m in mods:
        if m in gold:
            pts |= {q for q in expand(m, gold, memo, depth + 1)
                    if q < p and word[:q] == m[:q]}
            break
    pts |= {p + q for q in expand(word[p:], gold, memo, depth + 1)}
    memo[word] = pts
    return pts


def run_splitter(findling, args, words):
    out = subprocess.run([findling, "analyze", "--split"] + args,
                         input="\n".join(words) + "\n", text=True,
                         capture_output=True, check=True).stdout
    res = {}
    for line in out.splitlines():
        w, _, pieces = line.partition("\t")
        ps = pieces.split("+")
        if "".join(ps) != w:
            sys.exit("bad output line: %r" % line)
        pts, acc = set(), 0
        for piece in ps[:-1]:
            acc += len(piece)
            pts.add(acc)
        res[w] = pts
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gold")
    ap.add_argument("--findling", default="build/findling")
    ap.add_argument("--errors", type=int, default=0,
                    help="print this many wrong splits of each kind")
    ap.add_argument("--kind", default="any",
                    help="errors to print: fp (wrong points), fn (missed)")
    argv = sys.argv[1:]
    rest = argv[argv.index("--") + 1:] if "--" in argv else []
    a = ap.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    gold = load_gold(a.gold)
    memo = {}
    evalset = [(lc, e) for lc, e in gold.items()
               if e[1] is not None and "-" not in lc and " " not in lc]
    neg = sorted({e[3] for _, e in evalset})
    neg = [h for h in neg if h.lower() not in gold and h
           and "-" not in h and " " not in h]
    words = [e[0] for _, e in evalset]
    pred = run_splitter(a.findling, rest, words + neg)
    tp = fp = fn = top = 0
    errs = []
    for lc, e in evalset:
        g = expand(lc, gold, memo)
        p = pred[e[0]]
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
        top += max(p, default=None) == e[1]
        show = {"fp": p - g, "fn": g - p}.get(a.kind, p != g)
        if show and len(errs) < a.errors:
            errs.append("%s\tgold %s\tgot %s" % (e[0], sorted(g), sorted(p)))
    prec = tp / (tp + fp) if tp + fp else 0
    rec = tp / (tp + fn) if tp + fn else 0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0
    bad = [h for h in neg if pred[h]]
    for x in errs:
        print(x)
    for h in bad[:a.errors]:
        print("simplex split:", h, sorted(pred[h]))
    print("compounds %d  P %.3f  R %.3f  F1 %.3f  top-split %.3f  "
          "simplex wrongly split %.1f%% (%d/%d)"
          % (len(evalset), prec, rec, f1, top / len(evalset),
             100.0 * len(bad) / len(neg), len(bad), len(neg)))


if __name__ == "__main__":
    main()
