"""The benchmark's corpus is deterministic and realistic; `invoke bench --quick` runs end to end."""

import json
import re

import pytest

from carnet.bench.corpus import CorpusWriter, french_vocabulary, vocabulary, write_corpus
from carnet.bench.run import SEED, tag_forms
from tests.project import ROOT, invoke, project_copy
from tests.sitebuild import build_test_site


def test_same_seed_same_archive(tmp_path):
    forms = tag_forms()
    first = write_corpus(tmp_path / "a", 20, 7, forms, {})
    second = write_corpus(tmp_path / "b", 20, 7, forms, {})
    other = write_corpus(tmp_path / "c", 20, 8, forms, {})
    texts = [
        sorted(p.read_text("utf-8") for p in (folder / "articles").glob("*.md"))
        for folder in (first, second, other)
    ]
    assert texts[0] == texts[1]
    assert texts[0] != texts[2]


def test_vocabulary_is_large_and_french():
    words = vocabulary(42)
    assert len(words) > 3000
    assert sum(1 for word in words if re.search(r"[éèêàçôûî]", word)) > 300


def test_articles_look_like_the_archive():
    writer = CorpusWriter(3, tag_forms())
    articles = [writer.article(number)[1] for number in range(60)]
    lengths = [len(text.split("\n\n", 1)[1].split()) for text in articles]
    assert min(lengths) >= 250
    assert max(lengths) <= 2300
    assert sum("::: résumé" in text for text in articles) >= 36
    years = {int(m) for text in articles for m in re.findall(r"^Date: (\d{4})", text, re.MULTILINE)}
    assert max(years) - min(years) >= 10
    assert len({re.search(r"^Author: (.*)$", text, re.MULTILINE).group(1) for text in articles}) > 3


def test_corpus_builds_strictly_with_every_tag_resolved(tmp_path):
    tagmap = (ROOT / "content/tagmap.toml").read_text("utf-8")
    content = write_corpus(tmp_path / "content", 30, 11, tag_forms(), {"tagmap.toml": tagmap})
    site = build_test_site(tmp_path / "out", content, settings_file="pelicanconf.py")
    assert len(list(site.output.glob("article-*/index.html"))) == 30


@pytest.mark.parametrize("sizes", ["20,40"])
def test_invoke_bench_quick_writes_results(tmp_path, sizes):
    project = project_copy(tmp_path)
    result = invoke(project, "bench", "--articles", sizes, "--quick")
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads((project / "bench/results.json").read_text("utf-8"))
    assert set(data) >= {"machine", "versions", "corpus", "runs"}
    # The default corpus, recorded with what it was drawn from.
    assert data["corpus"] == {"name": "french", **french_vocabulary().source, "seed": SEED}
    assert "fréquences réelles du français" in result.stdout + result.stderr
    assert [r["articles"] for r in data["runs"]] == [20, 40]
    for run_ in data["runs"]:
        build = {"pelican_s", "project_s", "ratio", "pelican_cpu_s", "project_cpu_s", "cores"}
        assert set(run_["build"]) == build
        assert run_["build"]["project_cpu_s"] > 0
        assert run_["build"]["cores"] >= 1
        rebuild = {"edit_s", "add_s", "noop_s", "live_edit_s", "machinery_full_s", "machinery_edit_s"}
        assert set(run_["rebuild"]) == rebuild
        assert run_["rebuild"]["machinery_edit_s"] > 0
        # Measured through the real livereload loop: a save, then the reload on its websocket.
        assert run_["rebuild"]["live_edit_s"] > 0
        assert set(run_["index"]) == {"full_s", "update_s", "bytes"}
        assert set(run_["query_ms"]) == {"p50", "p95", "p99", "first"}
        assert set(run_["http"]) >= {"rps", "p50_ms", "p95_ms", "p99_ms", "errors"}
        assert set(run_["rss_mb"]) == {"build", "service"}
        # A loaded machine may see the service's 503 « busy » answers; never any other error.
        assert run_["http"]["errors"] == run_["http"]["busy"]
        assert run_["build"]["pelican_s"] > 0
        assert run_["index"]["bytes"] > 0
    svg = (project / "bench/results.svg").read_text("utf-8")
    assert svg.startswith("<svg")
    assert "<polyline" in svg
    assert "Banc d’essai" in result.stdout + result.stderr
    assert "livereload : une retouche (s)" in result.stdout + result.stderr
    assert "processeur, projet (s)" in result.stdout + result.stderr
    # The judged set's figures, as tests/test_relevance.py computes them.
    relevance = data["relevance"]
    assert relevance["queries"] >= 40
    assert relevance["mrr"] >= relevance["thresholds"]["mrr"]
    assert relevance["ndcg5"] >= relevance["thresholds"]["ndcg5"]
    assert "Pertinence (" in result.stdout + result.stderr


def test_invoke_bench_refuses_an_unknown_corpus(tmp_path):
    result = invoke(ROOT, "bench", "--articles", "5", "--quick", "--corpus", "latin", "--out", str(tmp_path))
    assert result.returncode != 0
    assert "corpus inconnu « latin » (au choix : french, uniform)" in result.stderr
    assert not (tmp_path / "results.json").exists()


def test_plain_pelican_dates_undated_articles_as_the_project_does():
    # Plain Pelican builds them too (DEFAULT_DATE), at the project's unknown date, last.
    from carnet.articles.metadata import UNKNOWN_DATE
    from carnet.bench.build_once import UNDATED

    assert UNKNOWN_DATE.timetuple()[:3] == UNDATED


def test_the_machinery_build_leaves_out_the_archive_wide_passes_only(tmp_path):
    # The floor of a rebuild: Pelican and the build machinery, without the plugins that go
    # through the whole archive. The names must be the project's: a renamed plugin would
    # otherwise stay in and raise the floor unseen.
    from pelican.settings import read_settings

    from carnet.bench.build_once import ARCHIVE_WIDE
    from carnet.bench.measure import timed_build

    plugins = read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"]
    assert set(plugins) > ARCHIVE_WIDE
    tagmap = (ROOT / "content/tagmap.toml").read_text("utf-8")
    content = write_corpus(tmp_path / "content", 12, 5, tag_forms(), {"tagmap.toml": tagmap})
    with_resume = next(
        p.stem for p in sorted((content / "articles").glob("*.md")) if "::: résumé" in p.read_text("utf-8")
    )
    pages = {}
    for flavour in ("machinery", "project"):
        assert timed_build(content, tmp_path / flavour, flavour).seconds > 0
        pages[flavour] = (tmp_path / flavour / f"output/{with_resume}/index.html").read_text("utf-8")
        # The résumé plugin acts on each article as it is read: kept.
        assert "Cet article en résumé" in pages[flavour]
    assert 'id="a-lire-aussi"' in pages["project"]
    assert 'id="a-lire-aussi"' not in pages["machinery"]
    assert not (tmp_path / "machinery/search-index/documents.json").exists()
    assert (tmp_path / "project/search-index/documents.json").exists()
