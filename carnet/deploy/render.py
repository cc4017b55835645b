"""The production configuration of deploy/: the nginx site and the systemd unit of the search
service, rendered from their templates for one machine (`invoke deploy-config`).

The security headers come from carnet/publishing/headers.py, the module the service uses, and the
shape of fingerprinted theme files from carnet/publishing/fingerprint.py, so that nginx and the service send
the same headers and keep the same files for a year."""

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from carnet.publishing.fingerprint import FINGERPRINTED
from carnet.publishing.headers import SECURITY_HEADERS

# The templates are data beside the rendered files, in the project's deploy/ folder.
HERE = Path(__file__).resolve().parents[2] / "deploy"
ENVIRONMENT_FILE = HERE / "carnet-search.env"
# Rendered file name: template.
FILES = {"carnet.conf": "nginx-site.conf.j2", "carnet-search@.service": "carnet-search@.service.j2"}

# What nginx would read otherwise than written: in a quoted value, quotes, variables and escapes;
# in a bare one, ends of directives and blocks too.
_UNSAFE_QUOTED = re.compile(r'["$\\\n\r]')
_UNSAFE_BARE = re.compile(r'["$\\\n\r;{}#]')
# Paths go unquoted into both files: no spaces, quotes, variables or systemd specifiers.
_UNSAFE_PATH = re.compile(r"[\s\"'$\\;%]")


@dataclass
class Deployment:
    root: Path  # the project's checkout, where `invoke publish` runs (its output/ is the live link)
    server_name: str = "_"
    listen: str = "80"
    ports: list[int] = field(default_factory=lambda: [8001, 8002])  # one search instance each
    venv: Path | None = None  # default: root/.venv

    def __post_init__(self):
        self.root = Path(self.root).absolute()
        self.venv = Path(self.venv).absolute() if self.venv else self.root / ".venv"
        try:
            self.ports = [int(port) for port in self.ports]
        except ValueError:
            raise ValueError(f"ports de recherche invalides : {self.ports!r}") from None
        for path in (self.root, self.venv):
            if _UNSAFE_PATH.search(str(path)):
                raise ValueError(f"chemin inutilisable dans la configuration : {str(path)!r}")
        for value in (self.server_name, self.listen):
            if not value.strip() or _UNSAFE_BARE.search(value):
                raise ValueError(f"valeur inutilisable dans la configuration nginx : {value!r}")
        if not self.ports or not all(0 < port < 65536 for port in self.ports):
            raise ValueError(f"ports de recherche invalides : {self.ports!r}")


def render(deployment: Deployment) -> dict[str, str]:
    """{file name: text} of the nginx site and the systemd unit."""
    for name, value in SECURITY_HEADERS:
        if _UNSAFE_QUOTED.search(name + value) or not re.fullmatch(r"[A-Za-z-]+", name):
            raise ValueError(f"en-tête impossible à écrire pour nginx : {name}: {value}")
    environment = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # configuration files, not HTML: the values are checked above instead
    )
    # The pattern goes between quotes, as a PCRE: its only `$` must be the final anchor.
    fingerprinted = FINGERPRINTED.pattern
    if '"' in fingerprinted or "$" in fingerprinted[:-1] or not fingerprinted.endswith("$"):
        raise ValueError(f"motif d’empreinte impossible à écrire pour nginx : {fingerprinted}")
    values = {**vars(deployment), "security_headers": SECURITY_HEADERS, "fingerprinted": fingerprinted}
    return {name: environment.get_template(template).render(values) for name, template in FILES.items()}


def write(deployment: Deployment, out: Path) -> list[Path]:
    """Write the rendered files, and the environment file of the unit, into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render(deployment).items():
        (out / name).write_text(text, "utf-8")
        written.append(out / name)
    written.append(Path(shutil.copy(ENVIRONMENT_FILE, out / ENVIRONMENT_FILE.name)))
    return written
