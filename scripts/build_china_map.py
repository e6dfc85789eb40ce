"""Build articles/data/map/china.json: simplified SVG outlines of China's provinces and their cities.

Run once, by hand, when the boundaries should change; the portal only reads the
output (articles/regionmap.py). Input: the map data of the Apache ECharts 4.9
npm package (Apache-2.0; ECharts 5 no longer ships maps), unpacked anywhere:

    npm pack echarts@4.9.0 && tar xzf echarts-4.9.0.tgz
    python scripts/build_china_map.py package/map/json

``china.json`` there holds the provinces and ``province/*.json`` each
province's prefecture-level cities (for municipalities their districts),
every feature keyed by its GB/T 2260 code, coordinates quantised and
delta-encoded (ECharts' "UTF8Encoding", decoded below as ECharts does).

Each map is projected as ECharts draws it (x = 0.75·longitude, y = −latitude),
fitted to a 1000-unit-wide box, simplified with Douglas–Peucker to about a
unit, stripped of specks smaller than a few square units, and written as
relative SVG path data with integer steps. The South China Sea islands are
drawn as ECharts' inset (a box in the lower right), not linked.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

WIDTH = 1000.0
ASPECT = 0.75  # ECharts' aspectScale for the China map: cos(~41°)
TOLERANCE = {"china": 1.2, "province": 1.6}
MIN_AREA = {"china": 6.0, "province": 10.0}
OUT = Path(__file__).resolve().parent.parent / "articles" / "data" / "map" / "china.json"

# ECharts' 南海诸岛 inset (src/coord/geo/fix/nanhai.js), in its own units, placed at 126°E 25°N.
NANHAI_AT = (126.0, 25.0)
NANHAI = [
    [[0, 3.5], [7, 11.2], [15, 11.9], [30, 7], [42, 0.7], [52, 0.7], [56, 7.7], [59, 0.7], [64, 0.7], [64, 0], [5, 0], [0, 3.5]],
    [[13, 16.1], [19, 14.7], [16, 21.7], [11, 23.1], [13, 16.1]],
    [[12, 32.2], [14, 38.5], [15, 38.5], [13, 32.2], [12, 32.2]],
    [[16, 47.6], [12, 53.2], [13, 53.2], [18, 47.6], [16, 47.6]],
    [[6, 64.4], [8, 70], [9, 70], [8, 64.4], [6, 64.4]],
    [[23, 82.6], [29, 79.8], [30, 79.8], [25, 82.6], [23, 82.6]],
    [[37, 70.7], [43, 62.3], [44, 62.3], [39, 70.7], [37, 70.7]],
    [[48, 51.1], [51, 45.5], [53, 45.5], [50, 51.1], [48, 51.1]],
    [[51, 35], [51, 28.7], [53, 28.7], [53, 35], [51, 35]],
    [[52, 22.4], [55, 17.5], [56, 17.5], [53, 22.4], [52, 22.4]],
    [[58, 12.6], [62, 7], [63, 7], [60, 12.6], [58, 12.6]],
    [[0, 3.5], [0, 93.1], [64, 93.1], [64, 0], [63, 0], [63, 92.4], [1, 92.4], [1, 3.5], [0, 3.5]],
]

Ring = list[tuple[float, float]]


def decode_ring(encoded: str, offset: list[int], scale: float) -> Ring:
    """One ring of ECharts' UTF8Encoding: zigzag deltas from ``offset``, each coordinate a character."""
    x, y = offset
    ring = []
    for i in range(0, len(encoded) - 1, 2):
        dx, dy = ord(encoded[i]) - 64, ord(encoded[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        ring.append((x / scale, y / scale))
    return ring


def polygons(feature: dict, scale: float, encoded: bool) -> list[list[Ring]]:
    """The feature's polygons (each a list of rings, outer first) in longitude/latitude."""
    geometry = feature["geometry"]
    coordinates = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        coordinates = [coordinates]
        offsets = [geometry.get("encodeOffsets")]
    else:
        offsets = geometry.get("encodeOffsets") or [None] * len(coordinates)
    result = []
    for polygon, polygon_offsets in zip(coordinates, offsets):
        if encoded:
            result.append([decode_ring(ring, off, scale) for ring, off in zip(polygon, polygon_offsets)])
        else:
            result.append([[(float(x), float(y)) for x, y in ring] for ring in polygon])
    return result


def project(lon: float, lat: float) -> tuple[float, float]:
    return lon * ASPECT, -lat


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas–Peucker, iterative (rings of thousands of points)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length
            else:
                distance = math.hypot(px - x1, py - y1)
            if distance > worst:
                worst, index = distance, i
        if worst > tolerance and index > 0:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [point for point, kept in zip(points, keep) if kept]


def area(ring: Ring) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


def path_data(rings: list[Ring]) -> str:
    """Relative SVG path data with integer steps (rounding carried, so no drift)."""
    parts = []
    cx = cy = 0
    for ring in rings:
        points = [(round(x), round(y)) for x, y in ring]
        deduped = [points[0]] + [p for prev, p in zip(points, points[1:]) if p != prev]
        if len(deduped) < 3:
            continue
        (x0, y0), rest = deduped[0], deduped[1:]
        steps = [f"m{x0 - cx} {y0 - cy}"]
        px, py = x0, y0
        line = []
        for x, y in rest:
            line.append(f"{x - px} {y - py}")
            px, py = x, y
        steps.append("l" + " ".join(line) + "z")
        parts.append("".join(steps))
        cx, cy = x0, y0  # after z the current point is the subpath's start
    return "".join(parts).replace(" -", "-")


def build_map(features: list[dict], kind: str, extra: list[list[Ring]] | None = None) -> dict:
    """One map: its viewBox, and per feature code the name, path data and a label point."""
    projected = {}
    for code, name, polys, centre in features:
        projected[code] = (name, [[[project(*p) for p in ring] for ring in polygon] for polygon in polys], centre)
    xs = [x for _n, polys, _c in projected.values() for polygon in polys for ring in polygon for x, _y in ring]
    ys = [y for _n, polys, _c in projected.values() for polygon in polys for ring in polygon for _x, y in ring]
    extra_projected = [[[project(*p) for p in ring] for ring in polygon] for polygon in extra or []]
    for polygon in extra_projected:
        for ring in polygon:
            xs += [x for x, _y in ring]
            ys += [y for _x, y in ring]
    left, top = min(xs), min(ys)
    factor = WIDTH / (max(xs) - left)
    height = (max(ys) - top) * factor

    def fit(ring: Ring) -> Ring:
        return [((x - left) * factor, (y - top) * factor) for x, y in ring]

    shapes = {}
    for code, (name, polys, centre) in projected.items():
        rings: list[Ring] = []
        biggest = max((fit(polygon[0]) for polygon in polys), key=area)
        for polygon in polys:
            for ring in polygon:
                fitted = simplify(fit(ring), TOLERANCE[kind])
                if area(fitted) >= MIN_AREA[kind] or fitted is biggest or fit(ring) == biggest:
                    rings.append(fitted)
        if not rings:
            rings = [biggest]
        lx, ly = project(*centre) if centre else (0, 0)
        label = [round((lx - left) * factor), round((ly - top) * factor)] if centre else None
        shapes[code] = {"name": name, "d": path_data(rings), "label": label}
    result = {"viewBox": f"0 0 {round(WIDTH)} {math.ceil(height)}", "regions": shapes}
    if extra_projected:
        result["inset"] = path_data([simplify(fit(ring), 0.3) for polygon in extra_projected for ring in polygon])
    return result


def read(path: Path) -> list[tuple[str, str, list[list[Ring]], tuple[float, float] | None]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    scale = data.get("UTF8Scale") or 1024
    encoded = bool(data.get("UTF8Encoding"))
    features = []
    for feature in data["features"]:
        if not feature.get("geometry") or not feature["geometry"]["coordinates"]:
            continue
        code = str(feature.get("id") or feature["properties"].get("id"))
        if not (code.isdigit() and len(code) == 6):
            continue  # unnamed specks (Taiwan's file has ids like "No1")
        centre = feature["properties"].get("cp")
        features.append((code, feature["properties"]["name"], polygons(feature, scale, encoded), tuple(centre) if centre else None))
    return features


def nanhai() -> list[list[Ring]]:
    lon0, lat0 = NANHAI_AT
    return [[[(lon0 + x / 10.5, lat0 - y / (10.5 / 0.75)) for x, y in ring]] for ring in NANHAI]


def main(source: Path, out: Path = OUT) -> dict:
    provinces = read(source / "china.json")
    result = {
        "source": "Apache ECharts 4.9.0 map data (npm package echarts@4.9.0, Apache-2.0), simplified by scripts/build_china_map.py",
        "china": build_map(provinces, "china", extra=nanhai()),
        "provinces": {},
    }
    for path in sorted((source / "province").glob("*.json")):
        features = read(path)
        if not features:
            continue
        province = features[0][0][:2] + "0000"
        result["provinces"][province] = build_map(features, "province")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    return result


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    built = main(Path(sys.argv[1]))
    print(f"{OUT}: {len(built['china']['regions'])} provinces, {len(built['provinces'])} province maps, {OUT.stat().st_size} bytes")
