"""Server-rendered SVG charts: no script, no library, readable on a 360 px phone.

Each chart is drawn in a 360-unit-wide viewBox so that 12-unit text stays about 12 px on a phone;
CSS caps the width on a desktop. Labels arrive already translated; ElementTree escapes them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from markupsafe import Markup

from core.figures import format_percent
from eid_coverage.figures import LOW, TARGET, band

WIDTH = 360
FONT = 12


@dataclass
class Bar:
    label: str
    value: float | None  # percent
    note: str = ""


def _svg(height: float, title: str) -> ET.Element:
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH} {height:g}",
            "role": "img",
            "aria-label": title,
            "class": "chart",
            "font-size": str(FONT),
        },
    )
    ET.SubElement(svg, "title").text = title
    return svg


def _text(parent, x: float, y: float, text: str, anchor: str = "start", cls: str = "") -> None:
    attrs = {"x": f"{x:g}", "y": f"{y:g}", "text-anchor": anchor}
    if cls:
        attrs["class"] = cls
    ET.SubElement(parent, "text", attrs).text = text


def _markup(svg: ET.Element) -> Markup:
    return Markup(ET.tostring(svg, encoding="unicode"))  # noqa: S704 - built by ElementTree


def _pct(value: float | None) -> str:
    return format_percent(value)


def coverage_bars(bars: Sequence[Bar], *, title: str, target_label: str) -> Markup:
    """One horizontal bar per group, coloured by band, with the 90% target marked."""
    row, top, left, right = 20, 22, 78, 44
    span = WIDTH - left - right
    height = top + row * len(bars) + 6
    svg = _svg(height, title)
    x_target = left + span * TARGET / 100
    for value in (LOW, TARGET):
        x = left + span * value / 100
        ET.SubElement(
            svg,
            "line",
            {
                "x1": f"{x:g}",
                "x2": f"{x:g}",
                "y1": "16",
                "y2": f"{height - 4:g}",
                "class": "grid" if value == LOW else "target",
            },
        )
    _text(svg, x_target, 12, target_label, "middle", "target-label")
    for index, bar in enumerate(bars):
        y = top + row * index
        _text(svg, 0, y + 13, bar.label)
        ET.SubElement(
            svg,
            "rect",
            {
                "x": str(left),
                "y": f"{y + 3:g}",
                "width": f"{span:g}",
                "height": "12",
                "class": "track",
            },
        )
        if bar.value:
            width = span * min(bar.value, 100) / 100
            ET.SubElement(
                svg,
                "rect",
                {
                    "x": str(left),
                    "y": f"{y + 3:g}",
                    "width": f"{width:.1f}",
                    "height": "12",
                    "class": f"bar {band(bar.value)}",
                },
            )
        _text(svg, WIDTH, y + 13, _pct(bar.value), "end", "value")
    return _markup(svg)


def _axis_labels(svg, labels: Sequence[str], xs: Sequence[float], y: float) -> None:
    # At most about six labels fit under a 360-unit chart; the others are skipped evenly.
    step = max(1, -(-len(labels) // 6))
    for index in range(len(labels) - 1, -1, -step):
        _text(svg, xs[index], y, labels[index], "middle", "axis")


def trend_line(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str,
    target_label: str,
    target: int = TARGET,
) -> Markup:
    """A share at the end of each week, in percent, against its target (90% for e-ID)."""
    top, bottom, left, right, height = 14, 24, 34, 14, 170
    plot_h = height - top - bottom
    span = WIDTH - left - right
    svg = _svg(height, title)

    # The axis starts below the lowest week (at most at 50%) so that a few points of progress
    # are visible; the target stays on the chart.
    known = [v for v in values if v is not None]
    floor = max(0, min(50, target - 10, 10 * int((min(known, default=0) - 10) // 10)))

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (value - floor) / (100 - floor))

    for tick in (floor, (floor + 100) // 2, 100):
        ET.SubElement(
            svg,
            "line",
            {
                "x1": str(left),
                "x2": str(WIDTH - right),
                "y1": f"{y_of(tick):g}",
                "y2": f"{y_of(tick):g}",
                "class": "grid",
            },
        )
        _text(svg, left - 4, y_of(tick) + 4, f"{tick}%", "end", "axis")
    ET.SubElement(
        svg,
        "line",
        {
            "x1": str(left),
            "x2": str(WIDTH - right),
            "y1": f"{y_of(target):g}",
            "y2": f"{y_of(target):g}",
            "class": "target",
        },
    )
    _text(svg, WIDTH - right, y_of(target) - 4, target_label, "end", "target-label")
    count = max(len(values), 1)
    xs = [left + span * (i + 0.5) / count for i in range(count)]
    points = [(x, y_of(v)) for x, v in zip(xs, values, strict=False) if v is not None]
    if points:
        ET.SubElement(
            svg,
            "polyline",
            {"points": " ".join(f"{x:.1f},{y:.1f}" for x, y in points), "class": "line"},
        )
        for x, y in points:
            ET.SubElement(
                svg, "circle", {"cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": "3", "class": "dot"}
            )
        last_x, last_y = points[-1]
        _text(svg, last_x, last_y - 8, _pct(values[-1]), "middle", "value")
    _axis_labels(svg, labels, xs, height - 6)
    return _markup(svg)


def week_bars(labels: Sequence[str], values: Sequence[int], *, title: str) -> Markup:
    """Records per week."""
    top, bottom, left, right, height = 18, 24, 34, 14, 150
    plot_h = height - top - bottom
    span = WIDTH - left - right
    svg = _svg(height, title)
    highest = max([*values, 1])
    count = max(len(values), 1)
    slot = span / count
    for tick in (0, highest):
        y = top + plot_h * (1 - tick / highest)
        ET.SubElement(
            svg,
            "line",
            {
                "x1": str(left),
                "x2": str(WIDTH - right),
                "y1": f"{y:g}",
                "y2": f"{y:g}",
                "class": "grid",
            },
        )
        _text(svg, left - 4, y + 4, str(tick), "end", "axis")
    xs = []
    for index, value in enumerate(values):
        x = left + slot * index
        xs.append(x + slot / 2)
        bar_h = plot_h * value / highest
        ET.SubElement(
            svg,
            "rect",
            {
                "x": f"{x + slot * 0.15:.1f}",
                "y": f"{top + plot_h - bar_h:.1f}",
                "width": f"{slot * 0.7:.1f}",
                "height": f"{bar_h:.1f}",
                "class": "bar records",
            },
        )
    _axis_labels(svg, labels, xs, height - 6)
    return _markup(svg)
