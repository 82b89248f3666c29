#!/usr/bin/env bash
# tests/eval/xquad.sh - retrieval evaluation: index a TREC-style set
# (corpus.jsonl, queries.tsv, qrels.tsv) with findling-index into a temp
# dir, run every query through `findling search --format json --limit 100`
# and print MRR@10, nDCG@10, R@10 and R@100 (binary judgments).
#
#   tests/eval/xquad.sh [SET_DIR]       default: $FL_SHARED/eval/xquad-de
#   FL_BUILD=build-x tests/eval/xquad.sh ../shared/eval/tagesschau-synthetic
#
# The sets are TEST sets (see shared/eval/README.md): measure and report,
# never tune to their queries. Exits 0 with a note when the set is absent.
# FL_EVAL_RUN=FILE keeps the run (qid<TAB>rank<TAB>docid) for inspection.
set -u
cd "$(dirname "$0")/../.."
B=${FL_BUILD:-build}
SHARED=${FL_SHARED:-$(cd .. && pwd)/shared}
SET=${1:-$SHARED/eval/xquad-de}
JOBS=${FL_EVAL_JOBS:-2}
for f in corpus.jsonl queries.tsv qrels.tsv; do
	if [ ! -f "$SET/$f" ]; then
		echo "eval: $SET/$f not found; nothing to measure"
		exit 0
	fi
done
for p in "$B/findling-index" "$B/findling"; do
	[ -x "$p" ] || { echo "eval: $p missing (make BUILD=$B)"; exit 1; }
done
command -v python3 > /dev/null || { echo "eval: needs python3"; exit 1; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# private copies: a rebuild during the run must not swap the binaries
cp "$B/findling-index" "$B/findling" "$W/" || exit 1
B=$W
"$B/findling-index" --quiet --index "$W/ix.db" "$SET/corpus.jsonl" ||
	{ echo "eval: indexing failed"; exit 1; }

start=$(date +%s.%N)
# Every query through the CLI, FL_EVAL_JOBS at a time; run lines are
# qid<TAB>rank<TAB>ext_id (rank 1-based).
python3 - "$B/findling" "$W/ix.db" "$SET/queries.tsv" "$JOBS" \
	> "$W/run.tsv" <<'EOF'
import concurrent.futures as cf, json, subprocess, sys
fl, ix, queries, jobs = sys.argv[1:5]
qs = []
for l in open(queries, encoding="utf-8"):
    p = l.rstrip("\r\n").split("\t", 1)
    if len(p) == 2:
        qs.append(p)
def one(q):
    out = subprocess.run([fl, "search", "--index", ix, "--format", "json",
                          "--limit", "100", "--", q[1]],
                         capture_output=True).stdout
    try:
        return q[0], [h["id"] for h in json.loads(out)["hits"]]
    except (ValueError, KeyError):
        return q[0], []
with cf.ThreadPoolExecutor(int(jobs)) as ex:
    for qid, ids in ex.map(one, qs):
        for i, d in enumerate(ids):
            print("%s\t%d\t%s" % (qid, i + 1, d))
EOF
end=$(date +%s.%N)
[ -n "${FL_EVAL_RUN:-}" ] && cp "$W/run.tsv" "$FL_EVAL_RUN"

python3 - "$SET/queries.tsv" "$SET/qrels.tsv" "$W/run.tsv" "$start" "$end" \
	"$SET" <<'EOF'
import math, sys
queries, qrels, run, start, end, name = sys.argv[1:7]
qids = [l.split("\t")[0] for l in open(queries, encoding="utf-8")
        if l.strip()]
rel = {}
for l in open(qrels, encoding="utf-8"):
    p = l.split()
    if len(p) >= 4 and int(p[3]) > 0:
        rel.setdefault(p[0], set()).add(p[2])
ranked = {}
for l in open(run, encoding="utf-8"):
    qid, rank, doc = l.rstrip("\n").split("\t")
    ranked.setdefault(qid, []).append((int(rank), doc))
mrr = ndcg = r10 = r100 = 0.0
empty = 0
dups = 0
n = 0
for q in qids:
    if q not in rel:
        continue
    n += 1
    docs = []
    for _, d in sorted(ranked.get(q, [])):
        if d in docs:
            dups += 1
        else:
            docs.append(d)
    if not docs:
        empty += 1
    R = rel[q]
    for i, d in enumerate(docs[:10]):
        if d in R:
            mrr += 1.0 / (i + 1)
            break
    dcg = sum(1.0 / math.log2(i + 2) for i, d in enumerate(docs[:10])
              if d in R)
    idcg = sum(1.0 / math.log2(i + 2) for i in range(min(len(R), 10)))
    ndcg += dcg / idcg
    r10 += len(R & set(docs[:10])) / len(R)
    r100 += len(R & set(docs[:100])) / len(R)
n = max(n, 1)
print("set %s: %d queries, %d without hits, %.1f s" %
      (name, n, empty, float(end) - float(start)))
if dups:
    print("WARNING: %d duplicate hits in the run (counted once)" % dups)
print("MRR@10 %.4f  nDCG@10 %.4f  R@10 %.4f  R@100 %.4f" %
      (mrr / n, ndcg / n, r10 / n, r100 / n))
EOF
