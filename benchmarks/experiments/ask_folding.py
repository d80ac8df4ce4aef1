"""One-off experiment (not run in CI), written against qa/answer.py as of the benchmark commit.

    .venv/bin/python benchmarks/experiments/ask_folding.py INDEX_DIR PASSES

Non-model part of Assistant.ask, side by side: as is / R1 (fold each window and its passage once) /
R1+R2 (normalize skips the per-character pass for printable text). Query vectors precomputed so the
model (unchanged by these patches) does not drown the difference. Answers must be identical."""
import sys, time, statistics, re, unicodedata, numpy as np
sys.path.insert(0, str(__import__('pathlib').Path(__file__).resolve().parents[1])); import corpus
import qa.answer as A
from qa.answer import Assistant
from qa.text import normalize, to_simplified
from qa.question import term_presence
from qa.retriever import Retriever, clean_question
from qa.embedder import load_embedder

def fast_normalize(text):
    text = to_simplified(unicodedata.normalize("NFKC", text))
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
    return re.sub(r"\s+", " ", text).strip().lower()

class R1(Assistant):
    NORM = staticmethod(normalize)
    def ask(self, *a, **k):
        self._folds = {}
        return super().ask(*a, **k)
    def _fold(self, s):
        f = self._folds.get(s)
        if f is None:
            f = self._folds[s] = self.NORM(s)
        return f
    def _coverage(self, terms, text, context=""):
        if not terms:
            return 0.0
        folded = self._fold(text)
        around = self._fold(context) if context else ""
        total = sum(self._weight(t) for t in terms)
        found = 0.0
        for t in terms:
            presence = term_presence(t, folded)
            if around and presence < 1.0:
                presence = max(presence, 0.3 * term_presence(t, around))
            found += self._weight(t) * presence
        return found / total if total else 0.0

class R12(R1):
    NORM = staticmethod(fast_normalize)

e = load_embedder()
r = Retriever.load(sys.argv[1], embedder=e)
f, arts = corpus.seed_folder()
qs = corpus.dev_questions() + corpus.title_questions(arts, 40)
vecs = {clean_question(q): e.encode_query(clean_question(q)) for q in qs}
real = r.embedder
class Cached:
    info, dim = real.info, real.dim
    def encode_query(self, q):
        return vecs[q] if q in vecs else real.encode_query(q)
r.embedder = Cached()
variants = {"as is": Assistant(r), "R1": R1(r), "R1+R2": R12(r)}
for q in qs:
    outs = [v.ask(q).to_dict() for v in variants.values()]
    assert all(o == outs[0] for o in outs), q
print("answers identical for %d questions (%d chunks)" % (len(qs), len(r.chunks)), flush=True)
names = list(variants)
for p in range(int(sys.argv[2])):
    T = {n: [] for n in names}
    for i, q in enumerate(qs):
        for n in (names if (i + p) % 2 == 0 else names[::-1]):
            t = time.perf_counter(); variants[n].ask(q); T[n].append(time.perf_counter() - t)
    med = {n: statistics.median(v) * 1000 for n, v in T.items()}
    p95 = {n: np.percentile(v, 95) * 1000 for n, v in T.items()}
    print("pass %d: " % (p + 1) + ", ".join("%s p50 %.1f / p95 %.1f ms" % (n, med[n], p95[n]) for n in names)
          + " | per-question median speed-up: " + ", ".join(
              "%s %.2fx" % (n, statistics.median(a / b for a, b in zip(T["as is"], T[n]))) for n in names[1:]), flush=True)
# R4: the top-k order in Assistant.draft
fused = np.random.default_rng(0).random(len(r.chunks))
ts = {"sorted": [], "argsort": []}
for _ in range(50):
    t = time.perf_counter(); a = sorted(range(len(fused)), key=lambda i: -fused[i])[:6]; ts["sorted"].append(time.perf_counter() - t)
    t = time.perf_counter(); b = np.argsort(-fused, kind="stable")[:6].tolist(); ts["argsort"].append(time.perf_counter() - t)
    assert a == b
print("R4 top-k order over %d chunks: sorted(key=lambda) p50 %.2f ms, np.argsort %.3f ms" % (
    len(fused), statistics.median(ts["sorted"]) * 1000, statistics.median(ts["argsort"]) * 1000))
