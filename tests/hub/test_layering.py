"""The hub is the ground the other apps build on (STYLE.md, "Layout"): no hub module
imports talent, portability or campaigns, so this test fails if one starts to."""

import ast
from pathlib import Path

import pytest

HUB = Path(__file__).resolve().parents[2] / "hub"
UPPER_APPS = {"talent", "portability", "campaigns"}
# Paths under hub/ not checked (besides migrations): the demo data and its command, which
# seed every app's demo in turn.
EXCLUDED = {
    "demo.py",
    "management/commands/seed_demo.py",
}


def _modules() -> list[Path]:
    return sorted(
        path
        for path in HUB.rglob("*.py")
        if "migrations" not in path.relative_to(HUB).parts
        and path.relative_to(HUB).as_posix() not in EXCLUDED
    )


def _imported(path: Path) -> set[str]:
    """The top-level packages the module imports, at its top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.partition(".")[0])
    return names


def test_the_hub_modules_are_found():
    found = {path.relative_to(HUB).as_posix() for path in _modules()}
    assert {"models.py", "dashboards.py", "report_tables.py", "impact_report.py"} <= found


@pytest.mark.parametrize("path", _modules(), ids=lambda path: path.relative_to(HUB).as_posix())
def test_no_hub_module_imports_the_apps_built_on_it(path):
    assert not _imported(path) & UPPER_APPS
