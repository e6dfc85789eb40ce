"""Write a benchmark's section into docs/benchmarks.md, leaving the other sections as they are."""

from __future__ import annotations

from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_section(heading: str, text: str, doc: Path = DOC) -> None:
    """Replace the section that starts with `heading` (a '## …' line) by text, or append it."""
    current = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    start = current.find(heading + "\n")
    if start == -1:
        updated = current.rstrip("\n") + "\n\n" + text
    else:
        following = current.find("\n## ", start + len(heading))
        updated = current[:start] + text.rstrip("\n") + ("\n\n" + current[following + 1:] if following != -1 else "")
    doc.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")
