"""`invoke bench`: generate the corpus, take every measurement, write the results."""

import json
import os
import re
import tempfile
from pathlib import Path

import markdown
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from carnet.bench import measure
from carnet.search.documents import SearchDocument, html_to_text

from .chart import write_chart
from .corpus import corpus_description, write_corpus

SEED = 42


def tag_forms() -> list[list[str]]:
    from carnet.tagmap.mapfile import load_map

    tag_map = load_map(measure.ROOT / "content/tagmap.toml")
    return [list(entry.forms) for entry in tag_map.tags.values()]


def own_text() -> str:
    """The carnet's own articles, in a fixed order: the uniform corpus takes words from them."""
    return " ".join(p.read_text("utf-8") for p in sorted((measure.ROOT / "content/articles").glob("*.md")))


def corpus_documents(content: Path) -> list[SearchDocument]:
    documents = []
    for path in sorted((content / "articles").glob("*.md")):
        header, body = path.read_text(encoding="utf-8").split("\n\n", 1)
        title = re.search(r"^Title: (.*)$", header, re.MULTILINE).group(1)
        body = re.sub(r"::: résumé\n.*?\n:::\n", "", body, flags=re.DOTALL)
        documents.append(
            SearchDocument(url=path.stem + "/", title=title, body=html_to_text(markdown.markdown(body)))
        )
    return documents


def run_size(articles: int, repeats: int, http_seconds: float, progress, task, corpus: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="carnet-bench-") as scratch:
        scratch = Path(scratch)
        content = scratch / "content"
        tagmap = (measure.ROOT / "content/tagmap.toml").read_text("utf-8")
        write_corpus(content, articles, SEED, tag_forms(), {"tagmap.toml": tagmap}, own_text(), corpus)
        progress.update(task, description=f"{articles} articles : constructions Pelican seul et projet")
        # Alternated, so that the machine's drift (shared, it moves by 10-20 %) weighs on both
        # alike. Each full build starts from nothing: no previous build, no content cache.
        vanilla, project = [], []
        for n in range(repeats):
            vanilla.append(measure.timed_build(content, scratch / f"vanilla-{n}", "vanilla"))
            project.append(measure.timed_build(content, scratch / f"site-{n}", "project"))
        pelican_s = measure.median([timing.seconds for timing in vanilla])
        project_s = measure.median([timing.seconds for timing in project])
        progress.update(task, description=f"{articles} articles : reconstructions")
        site = scratch / "site-0"
        edits, additions, noops = [], [], []
        for number in range(repeats):
            measure.edit_one(content)
            edits.append(measure.timed_build(content, site, "project").seconds)
            measure.add_one(content, number)
            additions.append(measure.timed_build(content, site, "project").seconds)
            noops.append(measure.timed_build(content, site, "project").seconds)
        edit_s, add_s, noop_s = (measure.median(times) for times in (edits, additions, noops))
        progress.update(task, description=f"{articles} articles : livereload")
        live_edit_s = measure.live_edit_measure(content, site, edits=3 if repeats == 1 else 5)
        progress.update(task, description=f"{articles} articles : index")
        index = measure.index_measures(corpus_documents(content), scratch / "index-bench")
        progress.update(task, description=f"{articles} articles : requêtes")
        queries = measure.query_measures(site / "search-index", rounds=max(1, repeats * 3))
        progress.update(task, description=f"{articles} articles : service HTTP")
        http = measure.http_measures(site / "output", site / "search-index", http_seconds)
        progress.update(task, description=f"{articles} articles : plancher d’une reconstruction")
        machinery = machinery_edits(content, scratch / "machinery", repeats)
        return {
            "articles": articles,
            "build": {
                "pelican_s": pelican_s,
                "project_s": project_s,
                "ratio": round(project_s / pelican_s, 2),
                # Processor seconds: on `cores` cores a build cannot take less than cpu_s / cores.
                "pelican_cpu_s": measure.median([timing.cpu_s for timing in vanilla]),
                "project_cpu_s": measure.median([timing.cpu_s for timing in project]),
                "cores": len(os.sched_getaffinity(0)),
            },
            "rebuild": {
                "edit_s": edit_s,
                "add_s": add_s,
                "noop_s": noop_s,
                "live_edit_s": live_edit_s,
                **machinery,
            },
            "index": index,
            "query_ms": queries,
            "http": {
                key: http[key]
                for key in ("rps", "search_rps", "p50_ms", "p95_ms", "p99_ms", "errors", "busy", "requests")
            },
            "rss_mb": {
                "build": round(max(timing.rss_mb for timing in project), 1),
                "service": http["service_rss_mb"],
            },
        }


def machinery_edits(content: Path, root: Path, repeats: int) -> dict:
    """The same edit rebuilt by Pelican and the build machinery alone (build_once's
    `machinery`): reading every article from the cache, linking, keying and writing the pages,
    without the project's passes over the whole archive. Last, since it edits the content."""
    full = measure.timed_build(content, root, "machinery").seconds
    edits = []
    for _ in range(repeats):
        measure.edit_one(content)
        edits.append(measure.timed_build(content, root, "machinery").seconds)
    return {"machinery_full_s": full, "machinery_edit_s": measure.median(edits)}


def judged_relevance() -> dict:
    """MRR and nDCG@5 of the judged queries (bench/relevance.py, as the tests compute them),
    over the carnet's own articles built as `invoke build` does and a planted archive."""
    from carnet.search.querying import ArchiveSearch

    from .relevance import CARNET, GENERATED, build_planted_index, judge

    with tempfile.TemporaryDirectory(prefix="carnet-relevance-") as scratch:
        scratch = Path(scratch)
        measure.timed_build(measure.ROOT / "content", scratch / "carnet", "project")
        searches = {
            CARNET: ArchiveSearch.open(scratch / "carnet" / "search-index"),
            GENERATED: ArchiveSearch.open(build_planted_index(scratch / "planted")),
        }
        return judge(searches).figures()


def run_bench(
    sizes: list[int], quick: bool, out: Path, console: Console | None = None, corpus: str = "french"
) -> dict:
    console = console or Console(stderr=True)
    repeats, http_seconds = (1, 3.0) if quick else (3, 20.0)
    described = corpus_description(corpus, SEED, own_text())  # an unknown corpus stops here
    runs = []
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("banc d’essai", total=len(sizes) + 1)
        for size in sizes:
            runs.append(run_size(size, repeats, http_seconds, progress, task, corpus))
            progress.advance(task)
        progress.update(task, description="pertinence des requêtes jugées")
        relevance = judged_relevance()
        progress.advance(task)
    results = {
        "machine": measure.machine(),
        "versions": measure.versions(),
        "quick": quick,
        "corpus": described,
        "runs": runs,
        "relevance": relevance,
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    if len(sizes) > 1:
        write_chart(runs, out / "results.svg")
    print_table(runs, console, described)
    console.print(relevance_line(relevance))
    return results


def relevance_line(relevance: dict) -> str:
    def number(value: float) -> str:
        return f"{value:.3f}".replace(".", ",")

    return (
        f"Pertinence ({relevance['queries']} requêtes jugées) : MRR {number(relevance['mrr'])}"
        f" (seuil {number(relevance['thresholds']['mrr'])}), nDCG@5 {number(relevance['ndcg5'])}"
        f" (seuil {number(relevance['thresholds']['ndcg5'])})"
    )


# (label, section, key, format) of each line of the table.
ROWS = [
    ("construction Pelican seul (s)", "build", "pelican_s", "{:.2f}"),
    ("construction du projet (s)", "build", "project_s", "{:.2f}"),
    ("ratio projet / Pelican", "build", "ratio", "{:.2f}"),
    ("processeur, Pelican seul (s)", "build", "pelican_cpu_s", "{:.1f}"),
    ("processeur, projet (s)", "build", "project_cpu_s", "{:.1f}"),
    ("reconstruction après une édition (s)", "rebuild", "edit_s", "{:.2f}"),
    ("reconstruction après un ajout (s)", "rebuild", "add_s", "{:.2f}"),
    ("reconstruction sans changement (s)", "rebuild", "noop_s", "{:.2f}"),
    ("livereload : une retouche (s)", "rebuild", "live_edit_s", "{:.2f}"),
    ("plancher : construction sans les passes sur l’archive (s)", "rebuild", "machinery_full_s", "{:.2f}"),
    ("plancher : reconstruction après une édition (s)", "rebuild", "machinery_edit_s", "{:.2f}"),
    ("index complet (s)", "index", "full_s", "{:.2f}"),
    ("mise à jour de l’index (s)", "index", "update_s", "{:.3f}"),
    ("taille de l’index (Mo)", "index", "bytes", "{:.1f}"),
    ("requête p50 (ms)", "query_ms", "p50", "{:.1f}"),
    ("requête p95 (ms)", "query_ms", "p95", "{:.1f}"),
    ("requête p99 (ms)", "query_ms", "p99", "{:.1f}"),
    ("première requête (ms)", "query_ms", "first", "{:.0f}"),
    ("HTTP requêtes/s", "http", "rps", "{:.0f}"),
    ("HTTP recherches/s", "http", "search_rps", "{:.0f}"),
    ("HTTP p95 (ms)", "http", "p95_ms", "{:.1f}"),
    ("HTTP erreurs", "http", "errors", "{}"),
    ("  dont « occupé » (503)", "http", "busy", "{}"),
    ("RSS construction (Mo)", "rss_mb", "build", "{:.0f}"),
    ("RSS service (Mo)", "rss_mb", "service", "{:.0f}"),
]


CORPUS_LABELS = {"french": "fréquences réelles du français", "uniform": "corpus uniforme"}


def print_table(runs: list[dict], console: Console, corpus: dict) -> None:
    table = Table(title=f"Banc d’essai ({CORPUS_LABELS[corpus['name']]}, graine {corpus['seed']})")
    table.add_column("mesure")
    for run in runs:
        table.add_column(f"{run['articles']} articles", justify="right")
    for label, section, key, pattern in ROWS:
        values = []
        for run in runs:
            value = run[section][key]
            values.append(pattern.format(value / 1e6 if key == "bytes" else value))
        table.add_row(label, *values)
    console.print(table)
