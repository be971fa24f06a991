"""Reading an action plan written as plain text, the way the Secretariat writes them.

The format, as in `../shared/seeds/baltmet-action-plan-2011-2012.txt`:

- the first non-empty line is the title, naming the plan's years ("... ACTION PLAN 2011 – 2012");
- a focus area is a line "N. Title", followed by its introduction;
- an action point is a line "N.M. text" under focus area N;
- any line may sit behind a "- " bullet or carry stray markdown emphasis (``**``, ``*``, ``#``).

A plan often lists its focus areas once in its introduction before the body repeats them with
their action points. A focus area heading repeated with the same title before any action point
was read under it is therefore such a mention: the later heading is the real one, and everything
before the first real heading is the plan's introduction.

`parse_plan` either returns the whole plan or raises PlanFormatError naming the line.
"""

import re
from dataclasses import dataclass, field

_BULLET = r"(?:[-*•+]\s+)?"
_POINT = re.compile(rf"^{_BULLET}(\d+)\.(\d+)\.?\s+(\S.*)$")
_AREA = re.compile(rf"^{_BULLET}(\d+)\.\s+(\S.*)$")
_YEARS = re.compile(r"((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)")
_EMPHASIS = re.compile(r"\*\*|__|\*")
_HEADING_MARK = re.compile(r"^#{1,6}\s+")


class PlanFormatError(ValueError):
    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class ParsedPoint:
    focus_area: int
    sequence: int
    text: str
    line: int

    @property
    def number(self):
        return f"{self.focus_area}.{self.sequence}"


@dataclass
class ParsedArea:
    number: int
    title: str
    line: int
    description_lines: list = field(default_factory=list)
    points: list = field(default_factory=list)

    @property
    def description(self):
        return _paragraphs(self.description_lines)


@dataclass
class ParsedPlan:
    title: str
    first_year: int
    last_year: int
    introduction: str
    areas: list


def _clean(line: str) -> str:
    line = _HEADING_MARK.sub("", line.strip())
    return " ".join(_EMPHASIS.sub("", line).split())


def _paragraphs(lines: list) -> str:
    """Join wrapped lines into paragraphs; blank lines (None) separate paragraphs."""
    paragraphs, current = [], []
    for line in lines:
        if line is None:
            if current:
                paragraphs.append(" ".join(current))
                current = []
        elif line.startswith(("- ", "* ", "• ")) and current:
            # A list item keeps its own line.
            current[-1] += "\n" + line
        else:
            current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def decode_plan(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PlanFormatError(line, "the file is not UTF-8 text; save it as UTF-8 and try again") from None


def parse_plan(text: str) -> ParsedPlan:
    raw_lines = text.splitlines()
    if not any(line.strip() for line in raw_lines):
        raise PlanFormatError(None, "the file is empty")

    title = title_line = None
    areas: dict[int, ParsedArea] = {}
    points_seen: dict[str, int] = {}
    current_area = None
    last_point = None  # a point whose wrapped text may continue on the next line

    for number, raw in enumerate(raw_lines, start=1):
        line = _clean(raw)
        if title is None:
            if line:
                title, title_line = line, number
            continue
        if not line:
            last_point = None
            if current_area is not None:
                current_area.description_lines.append(None)
            continue

        point_match = _POINT.match(line)
        area_match = None if point_match else _AREA.match(line)

        if point_match:
            area_no, sequence, text = int(point_match[1]), int(point_match[2]), point_match[3].strip()
            key = f"{area_no}.{sequence}"
            if area_no not in areas:
                raise PlanFormatError(number, f"action point {key} has no focus area {area_no} above it")
            if current_area is None or current_area.number != area_no:
                raise PlanFormatError(
                    number, f"action point {key} stands under focus area {current_area.number}, "
                    f"not under focus area {area_no}",
                )
            if sequence < 1:
                raise PlanFormatError(number, f"action point {key}: numbers start at 1")
            if key in points_seen:
                raise PlanFormatError(number, f"action point {key} appears twice (first on line {points_seen[key]})")
            points_seen[key] = number
            last_point = ParsedPoint(area_no, sequence, text, number)
            current_area.points.append(last_point)
        elif area_match:
            area_no, area_title = int(area_match[1]), area_match[2].strip()
            if area_no < 1:
                raise PlanFormatError(number, "focus areas are numbered from 1")
            earlier = areas.get(area_no)
            if earlier is not None:
                if earlier.points or earlier.title.casefold() != area_title.casefold():
                    raise PlanFormatError(
                        number, f"focus area {area_no} appears twice (first on line {earlier.line})"
                    )
            current_area = areas[area_no] = ParsedArea(area_no, area_title, number)
            last_point = None
        elif last_point is not None:
            last_point.text = f"{last_point.text} {line}"
        elif current_area is not None:
            current_area.description_lines.append(line)

    if not areas:
        raise PlanFormatError(None, "no focus areas found; a focus area is a line such as '1. Innovation'")
    years = _YEARS.search(title)
    if not years:
        raise PlanFormatError(title_line, "the title must name the plan's years, such as 'Action Plan 2011 – 2012'")
    first_year, last_year = int(years[1]), int(years[2])
    if last_year < first_year:
        raise PlanFormatError(title_line, "the plan's last year comes before its first year")

    ordered = sorted(areas.values(), key=lambda area: area.number)
    first_body_line = min(area.line for area in ordered)
    intro_lines = [_clean(raw) or None for raw in raw_lines[title_line:first_body_line - 1]]
    return ParsedPlan(
        title=title,
        first_year=first_year,
        last_year=last_year,
        introduction=_paragraphs(intro_lines),
        areas=ordered,
    )
