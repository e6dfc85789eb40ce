"""The China map: provinces (and a province's cities) shaded by how many articles they hold.

Outlines come from articles/data/map/china.json (built once by
scripts/build_china_map.py from Apache ECharts' map data), keyed by GB/T 2260
code. Counts are the list's: one GROUP BY on the denormalised province, or
city and county, columns under the list's other filters. The map is plain
server-rendered SVG whose areas are links, so it works without JavaScript;
the page lists the same places as text beside it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path



MAP_FILE = Path(__file__).resolve().parent / "data" / "map" / "china.json"
SHADES = 5  # count classes besides "none"


@lru_cache(maxsize=1)
def outlines() -> dict:
    """The whole outline file, read once per process (about 330 kB)."""
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


def label_size(view_box: str) -> int:
    """Label font size in the map's units: the same share of the longer side on every map."""
    _x, _y, width, height = (float(part) for part in view_box.split())
    return round(max(width, height) / 55)


def has_map(code: str) -> bool:
    """True when the outline file has a map of this province's cities."""
    return code in outlines()["provinces"]


@dataclass
class MapArea:
    """One shaded place on a map."""

    code: str
    name: str
    d: str
    label_x: int | None
    label_y: int | None
    count: int = 0
    shade: int = 0  # 0: no article; 1..SHADES: the legend's classes, darker for more
    url: str = ""  # where a click goes; empty: not a link (no article, or a place the gazetteer lacks)
    map_url: str = ""  # this province's own map (the country map only)


@dataclass
class Legend:
    shade: int
    low: int
    high: int


def classes(counts: list[int], shades: int = SHADES) -> list[tuple[int, int]]:
    """Up to ``shades`` count ranges (low, high), quantiles of the non-zero counts, covering 1..max."""
    values = sorted(count for count in counts if count > 0)
    if not values:
        return []
    bounds: list[int] = []
    for index in range(1, shades + 1):
        cut = values[min(len(values) - 1, max(0, round(index * len(values) / shades) - 1))]
        if not bounds or cut > bounds[-1]:
            bounds.append(cut)
    ranges, low = [], 1
    for high in bounds:
        ranges.append((low, high))
        low = high + 1
    return ranges


def shade_of(count: int, ranges: list[tuple[int, int]]) -> int:
    """The legend class of ``count``: 0 for none, else 1.. (darker means more), spread over SHADES."""
    if count <= 0 or not ranges:
        return 0
    for index, (low, high) in enumerate(ranges):
        if low <= count <= high:
            # Fewer classes than shades (few distinct counts): spread them to the dark end.
            return SHADES - len(ranges) + index + 1
    return SHADES


def legend(ranges: list[tuple[int, int]]) -> list[Legend]:
    return [Legend(shade=SHADES - len(ranges) + index + 1, low=low, high=high) for index, (low, high) in enumerate(ranges)]


def province_counts(rows: dict[tuple, int], scale: float = 1.0) -> dict[str, int]:
    """Articles per province code, from the (province, city, county) rows of a tally (selectors.Tally.regions)."""
    counts: dict[str, int] = {}
    for (province, _city, _county), n in rows.items():
        if province:
            counts[province] = counts.get(province, 0) + n
    return {code: round(n * scale) for code, n in counts.items()}


def city_counts(rows: dict[tuple, int], province: str, scale: float = 1.0) -> dict[str, int]:
    """Articles per city code and per county code within one province, from a tally's region rows.

    A province map's areas are prefecture-level cities, but a municipality's
    are its districts and Hainan's include counties directly under the
    province, so both levels are counted and each area takes its own code.
    """
    counts: dict[str, int] = {}
    for (row_province, city, county), n in rows.items():
        if row_province != province:
            continue
        for code in {city, county} - {None}:
            counts[code] = counts.get(code, 0) + n
    return {code: round(n * scale) for code, n in counts.items()}


def areas(map_data: dict, counts: dict[str, int]) -> tuple[list[MapArea], list[Legend]]:
    """The map's areas with counts and shades, and the legend of the shades."""
    ranges = classes([counts.get(code, 0) for code in map_data["regions"]])
    result = []
    for code, shape in map_data["regions"].items():
        label = shape.get("label") or [None, None]
        count = counts.get(code, 0)
        result.append(
            MapArea(code=code, name=shape["name"], d=shape["d"], label_x=label[0], label_y=label[1], count=count,
                    shade=shade_of(count, ranges))
        )
    return result, legend(ranges)
