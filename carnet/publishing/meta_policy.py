"""The theme's Content-Security-Policy <meta>: the service's header, for static hosts too.

A site copied to a plain static host gets no header from us; the same policy in each page's
<head> keeps an article's stray <script> or onerror= from running there too.
"""

from .headers import CONTENT_SECURITY_POLICY

# Directives a <meta> policy cannot carry: browsers ignore them there, and Chromium logs
# a console error for each (CSP3, « The Content Security Policy directive '…' is ignored
# when delivered via a <meta> element »). The header keeps them.
HEADER_ONLY = ("frame-ancestors", "report-uri", "report-to", "sandbox")

# `invoke livereload`: the livereload server injects an inline script into every page,
# which loads /livereload.js and opens a WebSocket back to it.
LIVERELOAD_SOURCES = {"script-src": ["'unsafe-inline'"], "connect-src": ["'self'", "ws:", "wss:"]}


def directives(policy: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for directive in policy.split(";"):
        if not directive.strip():
            continue
        name, *sources = directive.split()
        parsed.setdefault(name.lower(), sources)  # CSP: the first of a repeated directive counts
    return parsed


def meta_policy(
    header: str = CONTENT_SECURITY_POLICY, livereload: bool = False, search_origin: str | None = None
) -> str:
    """The header's policy without what a <meta> cannot say; relaxed for livereload only.

    `search_origin`: the search service's origin when SEARCH_URL is absolute, where the
    search forms of a statically hosted site must still be allowed to go."""
    kept = {name: sources for name, sources in directives(header).items() if name not in HEADER_ONLY}
    if search_origin and "form-action" in kept and search_origin not in kept["form-action"]:
        kept["form-action"] = [*kept["form-action"], search_origin]
    if livereload:
        default = kept.get("default-src", [])
        for name, extra in LIVERELOAD_SOURCES.items():
            current = kept.get(name, default)
            kept[name] = [*current, *(source for source in extra if source not in current)]
    return "; ".join(" ".join([name, *sources]) for name, sources in kept.items())
