"""Size of the package's code: modules, lines, functions and the longest of them.

Usage: ``.venv/bin/python bench/code_size.py [package]`` (default ``annuaire360``). A function's length counts
its decorators and docstring. Prints figures; asserts nothing (ruff's complexity limits are the enforced rule).
"""

from __future__ import annotations

import ast
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def function_lengths(files: list[Path], root: Path) -> list[tuple[int, str]]:
    """(length in lines, « module:line name ») of every function and method, longest first."""
    lengths = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                end = node.end_lineno or node.lineno
                lengths.append((end - start + 1, f"{path.relative_to(root)}:{node.lineno} {node.name}"))
    return sorted(lengths, reverse=True)


def main() -> None:
    package = ROOT / (sys.argv[1] if len(sys.argv) > 1 else "annuaire360")
    files = sorted(package.rglob("*.py"))
    lengths = function_lengths(files, package)
    lines = sum(len(path.read_text(encoding="utf-8").splitlines()) for path in files)
    folders = sorted({path.parent.relative_to(package).as_posix() for path in files})
    print(f"{len(files)} modules in {len(folders)} folders ({', '.join(folders)}), {lines} lines")
    print(f"{len(lengths)} functions, median {statistics.median(n for n, _ in lengths)} lines, "
          f"{sum(1 for n, _ in lengths if n > 30)} over 30 lines, {sum(1 for n, _ in lengths if n > 50)} over 50")
    for length, name in lengths[:5]:
        print(f"  {length:4d}  {name}")


if __name__ == "__main__":
    main()
