"""The values the text pipeline produces: plain data, no Django.

Everything under articles/text/ speaks in these types; articles/ingest.py is the
one place that turns them into database rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KIND_ARTICLE = "article"
KIND_PHOTO = "photo"
KIND_CONTINUATION = "continuation"

BLOCK_PARAGRAPH = "paragraph"
BLOCK_INTERTITLE = "intertitle"
BLOCK_CAPTION = "caption"


@dataclass(frozen=True)
class PartialDate:
    """A date that may lack its year (newspaper pages often print only 10月12日)."""

    year: int | None
    month: int | None
    day: int | None = None

    def iso(self) -> str:
        """ISO 8601 reduced precision: YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD."""
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @classmethod
    def from_iso(cls, value: str) -> PartialDate:
        """Inverse of iso()."""
        if value.startswith("--"):
            month, day = value[2:].split("-")
            return cls(None, int(month), int(day))
        parts = [int(p) for p in value.split("-")]
        parts += [None] * (3 - len(parts))
        return cls(*parts)


@dataclass(frozen=True)
class Block:
    """One paragraph-level piece of an article body."""

    kind: str  # BLOCK_PARAGRAPH, BLOCK_INTERTITLE or BLOCK_CAPTION
    text: str


@dataclass
class ThemeSpec:
    """A campaign theme as the pipeline sees it: a slug and its keywords."""

    slug: str
    name: str
    keywords: list[str]
    description: str = ""


@dataclass
class ParsedItem:
    """One article, photo caption or continuation fragment found in a file."""

    position: int  # 0-based order within the file
    kind: str  # KIND_ARTICLE, KIND_PHOTO or KIND_CONTINUATION
    blocks: list[Block]  # body in the original script
    kicker: str | None = None
    title: str | None = None
    subtitle: str | None = None
    bylines: list[str] = field(default_factory=list)
    issuer: str | None = None  # organisations printed above a notice's heading
    page: str | None = None
    issue: str | None = None  # the issue number from the masthead (2022年第14期)
    continued_from: str | None = None  # page named by a (上接N版) marker at its head
    continued_on: str | None = None  # page named by a (下转N版) marker at its foot
    date: PartialDate | None = None
    date_rule: str | None = None  # which rule gave the date: page, publication, signature, lede
    regions: list[str] = field(default_factory=list)  # 6-digit codes, primary first
    themes: list[str] = field(default_factory=list)  # theme slugs, best first
    keywords: list[str] = field(default_factory=list)
    script: str = "hans"  # "hans" or "hant"
    body_simplified: str = ""
    first_line: int = 0  # 1-based line span in ParsedDocument.text
    last_line: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        """The cleaned body: paragraphs separated by a blank line."""
        return "\n\n".join(block.text for block in self.blocks)


@dataclass
class ParsedDocument:
    """Everything ingest learned from one input file."""

    encoding: str
    text: str  # decoded text, line endings normalised; line numbers refer to it
    items: list[ParsedItem]
    source: str | None = None  # masthead or site name
    page: str | None = None
    issue: str | None = None  # the issue number from the masthead, when stated
    date: PartialDate | None = None  # the page or issue date, when stated
    removed_lines: list[int] = field(default_factory=list)  # 1-based lines stripped as chrome
    removed_reasons: dict[int, str] = field(default_factory=dict)  # 1-based line -> why it was stripped

    def removed_ranges(self) -> dict[str, list[list[int]]]:
        """The removed lines grouped by reason as [first, last] ranges: compact for the file's report."""
        ranges: dict[str, list[list[int]]] = {}
        for number in self.removed_lines:
            reason = self.removed_reasons.get(number, "")
            spans = ranges.setdefault(reason, [])
            if spans and spans[-1][1] == number - 1:
                spans[-1][1] = number
            else:
                spans.append([number, number])
        return ranges
    kind: str = ""  # what the file is (newspaper page, web page dump, bare article) and the evidence
    warnings: list[str] = field(default_factory=list)


class InputError(ValueError):
    """Input that cannot be ingested; the message says why, for a person."""
