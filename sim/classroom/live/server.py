"""Serving the live page: check the classroom extra, list the scenarios, start Panel's server.

Panel and Bokeh come with the optional extra ``astana-sim[classroom]``; without it the command
says which pip command installs it (``missing_extra``) instead of failing on an import. The
server listens on 127.0.0.1 unless told otherwise: a class page is for the teacher's machine, and
anything wider is a choice made on purpose.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from .session import Catalog
from .settings import shipped_scenarios

EXTRA_MODULES = ("panel", "bokeh")
INSTALL_HINT = "pip install -e '.[classroom]'"
SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"
"""The repository's scenario folder (the README installs the package from its clone)."""


def missing_extra() -> list[str]:
    """The modules of the classroom extra that cannot be imported here."""
    return [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]


def scenario_labels(given: Path | None, root: Path = SCENARIOS) -> dict[str, Path]:
    """The page's scenario menu: label -> file; the file given on the command line first."""
    labels: dict[str, Path] = {}
    if given is not None:
        labels[given.name] = given
    if root.is_dir():
        for path in shipped_scenarios(root):
            if given is not None and path.resolve() == given.resolve():
                continue
            labels[str(path.relative_to(root))] = path
    return labels


def make_catalog(given: Path | None) -> tuple[Catalog, Path, dict[str, Path]]:
    """The catalog, the scenario the page opens on (loaded now), and the menu's labels.

    Raises ``ScenarioError`` if the opening scenario (or its record) is invalid, and
    ``ValueError`` if there is no scenario to offer at all.
    """
    labels = scenario_labels(given)
    if not labels:
        raise ValueError(f"no scenario to show: pass --scenario FILE (none found in {SCENARIOS})")
    catalog = Catalog(tuple(labels.values()))
    first = given if given is not None else _flagship(labels)
    catalog.case(first)  # load and validate before the server starts: errors before any page
    return catalog, first, labels


def _flagship(labels: dict[str, Path]) -> Path:
    return labels.get("astana_2017.yaml", next(iter(labels.values())))


def serve(given: Path | None, port: int, address: str, on_ready=None) -> None:
    """Start the server and block until Ctrl-C; ``on_ready(url)`` is called once it listens."""
    import panel as pn

    from .page import build_page

    catalog, first, labels = make_catalog(given)
    server = pn.serve(
        {"/": lambda: build_page(catalog, first, labels)},
        port=port,
        address=address,
        websocket_origin=[f"{address}:{port}", f"localhost:{port}"],
        show=False,
        start=False,
        title="astana-sim: the live page",
    )
    url = f"http://{address}:{server.port}/"
    if on_ready is not None:
        server.io_loop.add_callback(on_ready, url)
    server.start()
    try:
        server.io_loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
