"""An SVG chart of build time and query latency against the archive's size (no dependency)."""

from html import escape
from pathlib import Path

WIDTH, HEIGHT, MARGIN = 720, 300, 50


def _panel(x0: float, title: str, series: dict[str, list[tuple[int, float]]], unit: str) -> str:
    colours = ["#7a2e0e", "#1d4ed8", "#3f6212"]
    width = WIDTH / 2 - MARGIN * 1.5
    height = HEIGHT - 2 * MARGIN
    xs = [x for points in series.values() for x, _ in points]
    ys = [y for points in series.values() for _, y in points]
    x_max, y_max = max(xs) or 1, (max(ys) or 1) * 1.1
    parts = [f'<text x="{x0}" y="{MARGIN - 20}" font-weight="bold">{escape(title)}</text>']
    parts.append(
        f'<line x1="{x0}" y1="{MARGIN + height}" x2="{x0 + width}" y2="{MARGIN + height}" stroke="#555"/>'
    )
    parts.append(f'<line x1="{x0}" y1="{MARGIN}" x2="{x0}" y2="{MARGIN + height}" stroke="#555"/>')
    parts.append(
        f'<text x="{x0 - 5}" y="{MARGIN + 4}" text-anchor="end" font-size="11">{y_max:.1f} {unit}</text>'
    )
    for x in sorted(set(xs)):
        px = x0 + width * x / x_max
        parts.append(
            f'<text x="{px}" y="{MARGIN + height + 16}" text-anchor="middle" font-size="11">{x}</text>'
        )
    for number, (name, points) in enumerate(series.items()):
        colour = colours[number % len(colours)]
        coords = " ".join(
            f"{x0 + width * x / x_max:.1f},{MARGIN + height - height * y / y_max:.1f}" for x, y in points
        )
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
        label_y = MARGIN + 14 + 14 * number
        parts.append(
            f'<text x="{x0 + 10}" y="{label_y}" fill="{colour}" font-size="12">{escape(name)}</text>'
        )
    return "\n".join(parts)


def write_chart(runs: list[dict], path: Path) -> None:
    build = {
        "Pelican seul": [(r["articles"], r["build"]["pelican_s"]) for r in runs],
        "projet": [(r["articles"], r["build"]["project_s"]) for r in runs],
        "livereload, une retouche": [(r["articles"], r["rebuild"]["live_edit_s"]) for r in runs],
    }
    query = {
        "p95": [(r["articles"], r["query_ms"]["p95"]) for r in runs],
        "p50": [(r["articles"], r["query_ms"]["p50"]) for r in runs],
    }
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
        ' font-family="sans-serif" role="img">'
        "<title>Temps de construction et latence des requêtes selon le nombre d’articles</title>"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>'
        + _panel(MARGIN, "Construction (s)", build, "s")
        + _panel(WIDTH / 2 + MARGIN / 2, "Requêtes (ms)", query, "ms")
        + "</svg>\n"
    )
    path.write_text(svg, encoding="utf-8")
