"""A trend chart drawn on the server as SVG: no JavaScript, no inline styles (colours and dashes come
from classes in indicators.css). Each city has its own marker shape and a label at the end of its
line, so the chart does not rely on colour; the table beside it holds the same numbers."""

import math
from dataclasses import dataclass, field
from decimal import Decimal

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 130, 16, 36
SHAPES = ("circle", "square", "triangle", "diamond")
LABEL_GAP = 13


@dataclass
class Marker:
    x: float
    y: float
    year: int
    value: Decimal
    points: str = ""  # for polygons


@dataclass
class Line:
    label: str
    index: int
    shape: str
    segments: list[str] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    label_x: float = 0
    label_y: float = 0
    median: bool = False


@dataclass
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    x_ticks: list[tuple[float, int]]
    y_ticks: list[tuple[float, str]]
    lines: list[Line]


def fmt(value) -> str:
    """12.5000 -> 12.5, 3.0000 -> 3, 1E+3 -> 1000."""
    value = Decimal(value)
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _shape_points(shape: str, x: float, y: float, r: float = 5) -> str:
    if shape == "triangle":
        pts = [(x, y - r), (x + r, y + r * 0.8), (x - r, y + r * 0.8)]
    elif shape == "square":
        r *= 0.85
        pts = [(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)]
    elif shape == "diamond":
        pts = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    else:
        return ""
    return " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)


def trend_chart(*, years: list[int], series: list[tuple[str, dict[int, Decimal]]],
                medians: dict[int, Decimal] | None = None) -> Chart | None:
    """`series` is (label, {year: value}) per city; the median, when given, is drawn dashed."""
    all_values = [float(v) for _, values in series for v in values.values()]
    if not all_values or not years:
        return None
    lo, hi = min(all_values), max(all_values)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    step = _nice_step(hi - lo)
    lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(year):
        return LEFT + (plot_w * (years.index(year) / (len(years) - 1)) if len(years) > 1 else plot_w / 2)

    def y_of(value):
        return TOP + plot_h * (1 - (float(value) - lo) / (hi - lo))

    y_ticks, tick = [], lo
    while tick <= hi + step / 2:
        y_ticks.append((round(y_of(tick), 1), fmt(Decimal(str(round(tick, 10))))))
        tick += step
    lines = []
    everything = list(series) + ([("median", medians)] if medians else [])
    for index, (label, values) in enumerate(everything):
        is_median = medians is not None and index == len(series)
        line = Line(label=label, index=index % 8, shape=SHAPES[index % len(SHAPES)], median=is_median)
        run = []
        for year in years:
            if year not in values:
                if len(run) > 1:
                    line.segments.append(" ".join(run))
                run = []
                continue
            x, y = round(x_of(year), 1), round(y_of(values[year]), 1)
            run.append(f"{x},{y}")
            if not is_median:
                line.markers.append(Marker(x, y, year, values[year], _shape_points(line.shape, x, y)))
            line.label_x, line.label_y = x + 8, y + 4
        if len(run) > 1:
            line.segments.append(" ".join(run))
        lines.append(line)
    _spread_labels(lines)
    return Chart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM,
                 [(round(x_of(year), 1), year) for year in years], y_ticks, lines)


def _spread_labels(lines: list[Line]):
    """Push end-of-line labels apart so that two cities ending close together stay readable."""
    for line in lines:
        line.label_x = WIDTH - RIGHT + 8
    ordered = sorted(lines, key=lambda line: line.label_y)
    for previous, current in zip(ordered, ordered[1:]):
        if current.label_y - previous.label_y < LABEL_GAP:
            current.label_y = previous.label_y + LABEL_GAP
