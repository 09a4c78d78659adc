"""The architecture holds: the domain is pure, the layers only import downwards, modules stay small."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "keta"

# What importing all of keta.domain may load: the standard library and the domain itself.
CHECK_PURITY = """
import json, sys
before = set(sys.modules)
import pkgutil, importlib, keta.domain
for info in pkgutil.walk_packages(keta.domain.__path__, "keta.domain."):
    importlib.import_module(info.name)
loaded = sorted(set(sys.modules) - before)
print(json.dumps(loaded))
"""
ALLOWED_PREFIXES = ("keta.domain", "keta")
# Computation-only libraries the screening rules use: no I/O at call time, no framework, no globals
# we depend on. Anything else in the domain is a violation.
ALLOWED_LIBRARIES = {
    "rapidfuzz",
    "anyascii",
    "pypinyin",
    "cantoroman",
    "cython_runtime",
}  # the last is created by Cython on import
STDLIB = set(sys.stdlib_module_names)


def test_domain_imports_only_the_standard_library() -> None:
    out = subprocess.run(
        [sys.executable, "-c", CHECK_PURITY], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    loaded = json.loads(out)
    assert "keta.domain.eligibility" in loaded  # the walk really imported the domain
    foreign = [
        m
        for m in loaded
        if m.split(".")[0] not in STDLIB | ALLOWED_LIBRARIES
        and not m.startswith(ALLOWED_PREFIXES)
        and not m.startswith("_")
    ]
    assert foreign == []
    assert not [m for m in loaded if m.startswith("keta.") and not m.startswith("keta.domain")]


def test_domain_reads_no_environment_and_no_clock() -> None:
    offenders = []
    for path in (PACKAGE / "domain").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in (
            "os.environ",
            "getenv",
            "date.today()",
            "datetime.now(",
            "datetime.utcnow(",
            "open(",
            "time.time(",
        ):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offenders == []


def test_import_contracts() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    if not linter.exists():
        pytest.skip("import-linter is not installed in this environment")
    completed = subprocess.run([str(linter)], capture_output=True, text=True, cwd=ROOT, check=False)
    assert completed.returncode == 0, completed.stdout[-2000:]
    assert "BROKEN" not in completed.stdout


def test_services_never_commit() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (PACKAGE / "services").rglob("*.py")
        if ".commit()" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_modules_stay_small() -> None:
    too_long = {
        str(p.relative_to(ROOT)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert too_long == {}
