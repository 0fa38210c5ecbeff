"""The apps' one-way layers (docs/architecture.md) hold, and the contracts that hold them bite.

`make lint` runs import-linter on the project; these tests run the same contracts (read
from pyproject.toml) on the project and on small made-up trees, so that a contract that
stopped catching an upward import would fail here, not silently pass in CI.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CONTRACTS = PYPROJECT["tool"]["importlinter"]
APPS: list[str] = CONTRACTS["root_packages"]
CONTRACT_NAMES = {contract["id"]: contract["name"] for contract in CONTRACTS["contracts"]}
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _app_modules() -> list[Path]:
    return sorted(path for app in APPS for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts)


def _run_contracts(root: Path, packages: list[str]) -> subprocess.CompletedProcess[str]:
    """lint-imports with the project's contracts, on the packages found under ``root``."""
    lines = ["[importlinter]", "root_packages =\n    " + "\n    ".join(packages), ""]
    for contract in CONTRACTS["contracts"]:
        lines.append(f"[importlinter:contract:{contract['id']}]")
        for key, value in contract.items():
            if key == "id":
                continue
            if isinstance(value, list):
                lines.append(f"{key} =\n    " + "\n    ".join(value))
            else:
                lines.append(f"{key} = {value}")
        lines.append("")
    config = root / ".importlinter"
    config.write_text("\n".join(lines), encoding="utf-8")
    return subprocess.run(
        [str(LINT_IMPORTS), str(config), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _make_tree(root: Path, modules: dict[str, str]) -> None:
    """Every app of ours as an empty package, the pure policy read from below (as the
    project does, so the contract's exception matches), plus ``modules`` (name -> source)."""
    modules = {"gate.policy": "", "products.models": "from gate.policy import GateState\n", **modules}
    for app in APPS:
        (root / app).mkdir()
        (root / app / "__init__.py").write_text("", encoding="utf-8")
    for dotted, source in modules.items():
        path = root.joinpath(*dotted.split(".")).with_suffix(".py")
        path.write_text(source, encoding="utf-8")


def test_the_project_keeps_its_layers() -> None:
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("modules", "contract", "broken"),
    [
        pytest.param(
            {"reviews.imports": "import gate.models\n"}, "layers", "reviews is not allowed to import gate", id="upward"
        ),
        pytest.param(
            {"products.late": "def f():\n    from reviews import models\n    return models\n"},
            "layers",
            "products is not allowed to import reviews",
            id="inside-a-function",
        ),
        pytest.param(
            {"storefront.views": "import desk.views\n"},
            "layers",
            "storefront is not allowed to import desk",
            id="siblings",
        ),
        pytest.param(
            {"core.settings_reader": "import config.settings\n"},
            "config-is-wiring",
            "core is not allowed to import config",
            id="config",
        ),
        pytest.param(
            {"gate.policy": "import products.models\n"},
            "policy-is-pure",
            "gate.policy is not allowed to import products",
            id="impure-policy",
        ),
    ],
)
def test_a_forbidden_import_breaks_the_contracts(
    tmp_path: Path, modules: dict[str, str], contract: str, broken: str
) -> None:
    _make_tree(tmp_path, modules)
    result = _run_contracts(tmp_path, APPS)
    assert result.returncode != 0, result.stdout
    # The named contract itself breaks (not merely another one), for the reason given.
    assert f"{CONTRACT_NAMES[contract]} BROKEN" in result.stdout
    assert broken in result.stdout


def test_the_layers_below_may_read_the_pure_policy_and_nothing_else_of_the_gate(tmp_path: Path) -> None:
    _make_tree(
        tmp_path,
        {
            "gate.policy": "import json\n",
            "products.models": "from gate.policy import GateState\n",
            "notifications.models": "import gate.policy\n",
            "desk.views": "import gate.models\nimport reviews\nimport core\n",
            "gate.models": "import reviews\n",
        },
    )
    result = _run_contracts(tmp_path, APPS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_pure_policy_imports_only_the_standard_library() -> None:
    tree = ast.parse((ROOT / "gate" / "policy.py").read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    } | {
        # A relative import is of gate itself: never the standard library.
        "." * node.level + (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    assert imported - {"__future__"} <= set(sys.stdlib_module_names)


def _imported_names(path: Path, module: str) -> list[tuple[int, str, str]]:
    """(line, source module, name) of every name ``module`` imports from a module of ours,
    relative imports resolved against its package."""
    package = module.split(".")[: -1 if path.name != "__init__.py" else None]
    found: list[tuple[int, str, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            source = ".".join([*base, *([node.module] if node.module else [])])
            found += [(node.lineno, source, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parent, _, name = alias.name.rpartition(".")
                found.append((node.lineno, parent, name))
    return [(line, source, name) for line, source, name in found if source.split(".")[0] in APPS]


def test_no_module_imports_a_private_name_of_another() -> None:
    offences = [
        f"{module}:{line} imports {name} from {source}"
        for path in _app_modules()
        for module in [".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")]
        for line, source, name in _imported_names(path, module)
        if name.startswith("_") and not name.startswith("__") and source != module
    ]
    assert offences == []
