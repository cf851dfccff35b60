"""The pure domain modules (pyproject.toml's "Pure domain modules" contract) import
nothing of Django but django.utils.translation: no ORM, settings, HTTP or cache. The
rest of the contract (DRF, Celery, plotly) is import-linter's."""

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {"django.utils.translation"}


def _pure_modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (contract,) = [
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if c["name"] == "Pure domain modules import no framework"
    ]
    return contract["source_modules"]


def _django_imports(module: str) -> set[str]:
    tree = ast.parse((ROOT / (module.replace(".", "/") + ".py")).read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return {name for name in names if name == "django" or name.startswith("django.")}


def test_pure_modules_import_only_the_translation_functions_of_django():
    modules = _pure_modules()
    assert len(modules) > 20
    found = {module: _django_imports(module) - ALLOWED for module in modules}
    assert {module: names for module, names in found.items() if names} == {}
