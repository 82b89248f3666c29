#!/usr/bin/env python3
"""Check the corpus against the coverage list in corpus/README.

Reads every document the way the indexer is expected to: UTF-8, or Windows-1252
when the bytes are not valid UTF-8; HTML without <script>/<style>; PDFs through
pdftotext; each line of a .jsonl feed as its own document. Prints, for each
coverage term, the documents that contain it, and fails on a broken constraint.
Usage: corpus/check-coverage.py [--list]
"""
import html, json, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.abspath(__file__))
SKIP_DIRS = {"pdf-src"}
DOC_EXT = (".md", ".html", ".txt", ".jsonl", ".pdf")


def decode(raw):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def html_text(s):
    s = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", s)
    s = re.sub(r"(?s)<[^>]+>", " ", s)
    return html.unescape(s)


def docs():
    for d, subdirs, files in os.walk(ROOT):
        subdirs[:] = sorted(x for x in subdirs if x not in SKIP_DIRS)
        for f in sorted(files):
            p = os.path.join(d, f)
            rel = os.path.relpath(p, ROOT)
            if not f.endswith(DOC_EXT) or rel == "README":
                continue
            if f.endswith(".pdf"):
                yield rel, subprocess.run(["pdftotext", p, "-"], capture_output=True,
                                          text=True, check=True).stdout
                continue
            text = decode(open(p, "rb").read())
            if f.endswith(".html"):
                yield rel, html_text(text)
            elif f.endswith(".jsonl"):
                for line in text.splitlines():
                    o = json.loads(line)
                    yield rel + "#" + o["id"], " ".join(
                        str(o[k]) for k in ("title", "body") if o[k])
            else:
                yield rel, text


def has(text, word, case=True):
    flags = 0 if case else re.IGNORECASE
    return re.search(r"(?<![\w])" + re.escape(word) + r"(?![\w])", text, flags) is not None


TERMS = ["München", "Muenchen", "Straße", "Strasse", "Fachkräfte", "Fachkraefte",
         "Schule", "Schulen", "Lehrkraft", "Lehrkräfte", "Auto", "Autos",
         "Ministerium", "Ministerien", "Erzieherin", "Erzieherinnen", "Kita", "Kitas",
         "Bürger:innen", "Bürger*innen", "BürgerInnen", "Bildungsmonitoring",
         "Weiterbildungsmaßnahmen", "Fachkräfteentwicklung", "Güterverkehrskonzept",
         "Fußgängerübergang", "Informationsfreiheitsgesetz", "Wärmeschutz",
         "Wärme und Schutz", "Sachsen-Anhalt", "E-Mail", "Corona-Pandemie",
         "Halle (Saale)", "Gütersloh", "Beratung", "Beratungsangebote", "Rat", "Stadtrat",
         "Leipzig", "Bitterfeld-Wolfen", "Merseburg", "Förderung", "Forderung",
         "schön", "schon", "Auszubildende", "Görlitz", "<script>", "<b>"]


def main():
    all_docs = list(docs())
    errors = []
    where = {t: [n for n, x in all_docs if has(x, t)] for t in TERMS}
    for t in TERMS:
        if not where[t]:
            errors.append("missing: " + t)
    if "--list" in sys.argv:
        for t in TERMS:
            print(f"- {t} ({len(where[t])}): " + ", ".join(where[t][:8]) + (" …" if len(where[t]) > 8 else ""))
    # Bare "Rat" and words built on it (Stadtrat, Rathaus, raten ...) only in one document.
    rat = re.compile(r"(?i)(?<![\w])(\w*rat(e|es|s|en)?|\w*räte\w*|rat\w*|\w*ratsamt\w*)(?![\w])")
    allowed = re.compile(r"(?i)^(be)?rat(en|e|st|et)?$|^\w*berat\w*$|^(integration|demokrat\w*|referat\w*|strat\w*)$")
    rat_docs = set()
    for n, x in all_docs:
        for m in rat.finditer(x):
            w = m.group(0)
            if re.match(r"(?i)^\w*berat", w) or w.lower() in ("integration",):
                continue
            if re.match(r"(?i)^(rat|räte|raten|rates|rats)$", w) or re.search(r"(?i)(rat|räte)(s|e|en)?$", w) or re.match(r"(?i)^rat(haus|geb|schlag|los)", w):
                rat_docs.add(n)
    if len(rat_docs) != 1:
        errors.append("Rat in more than one document: " + ", ".join(sorted(rat_docs)))
    g = where["Gütersloh"]
    if len(g) != 1 or sum(x.count("Gütersloh") for _, x in all_docs) != 1:
        errors.append("Gütersloh must occur exactly once")
    for n, x in all_docs:
        if n in g and re.search(r"(?i)(?<![\w])(gut|güt(?!ersloh))\w*", x):
            errors.append("gut near Gütersloh in " + n)
    pairs = [("Förderung", "Forderung"), ("München", "Muenchen"), ("Straße", "Strasse"),
             ("Fachkräfte", "Fachkraefte"), ("schön", "schon")]
    for a, b in pairs:
        both = set(where[a]) & set(where[b])
        if both:
            errors.append(f"{a} and {b} together in " + ", ".join(sorted(both)))
    for one, many in [("Auto", "Autos"), ("Ministerium", "Ministerien"), ("Erzieherin", "Erzieherinnen"),
                      ("Kita", "Kitas"), ("Lehrkraft", "Lehrkräfte"), ("Schule", "Schulen")]:
        if not set(where[one]) - set(where[many]) or not set(where[many]) - set(where[one]):
            errors.append(f"need a document with only {one} and one with only {many}")
    print(f"{len(all_docs)} documents")
    for e in errors:
        print("FAIL", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
