"""Names for the engine's keys, for messages people read: "3:national_ecommerce_growth[2027]" becomes
"指标 3：全国电子商务交易额同比增速（2027年）", "context.years" 评估年份, "east" 东部, "d4_1" 推动新技术发展 — the
labels come from the indicator system's own catalogues (input_catalogue, benchmark_catalogue), so a new version
names its own inputs. A key no catalogue knows is shown as it is (better than nothing, and a test catches it).

National figures (全国数据, the benchmark catalogue) are entered by admins with their source, never by the
applicant or a reviewer: split_missing() tells them apart so a message can say who must supply what.
"""
import dataclasses
import re

from django.utils.translation import gettext as _

_KEY = re.compile(r"^(?:(?P<number>\d+):)?(?P<name>[^\[\]]+?)(?:\[(?P<year>\d{4})\])?$")


@dataclasses.dataclass(frozen=True)
class Figure:
    key: str
    name: str
    year: int | None
    label: str
    indicator: int | None = None
    national: bool = False

    @property
    def text(self):
        out = self.label if self.year is None else _("%(label)s（%(year)s年）") % {"label": self.label, "year": self.year}
        if self.indicator is not None:
            out = _("指标 %(number)s：%(figure)s") % {"number": self.indicator, "figure": out}
        return out


def _context_label(name):
    return {"context.years": _("评估年份"), "context.region": _("所在地区")}.get(name)


def region_label(code):
    """东部 / 中部 / 西部 / 东北 for a region code (east, central, west, northeast)."""
    from regions.models import EconomicRegion

    try:
        return str(EconomicRegion(code).label)
    except ValueError:
        return code


def system_label(code):
    """An indicator system's title for its code (draft-current → its title), or the code if there is none."""
    from indicators.models import IndicatorSystem

    title = IndicatorSystem.objects.filter(code=code).values_list("title", flat=True).first()
    return title or code


def figure(key, system):
    """The Figure a key stands for in ``system`` (an IndicatorSystem)."""
    match = _KEY.match(str(key))
    if match is None:
        return Figure(key=key, name=key, year=None, label=str(key))
    name, year, number = match["name"], match["year"], match["number"]
    inputs = system.input_catalogue or {}
    benchmarks = system.benchmark_catalogue or {}
    national = name in benchmarks
    label = (_context_label(name) or (benchmarks.get(name) or {}).get("label")
             or (inputs.get(name) or {}).get("label") or name)
    return Figure(key=str(key), name=name, year=int(year) if year else None, label=label,
                  indicator=int(number) if number else None, national=national)


def split_missing(keys, system):
    """(the figures the sheet's author can supply, the national figures only an admin can enter), each without
    repeats, in the order given. The national ones are named without the indicator, once per figure and year."""
    local, national, seen = [], [], set()
    for key in keys:
        f = figure(key, system)
        if f.national:
            f = dataclasses.replace(f, indicator=None)
            if (f.name, f.year) in seen:
                continue
            seen.add((f.name, f.year))
            national.append(f)
        else:
            local.append(f)
    return local, national


def names(figures, limit=10):
    """"A、B、C 等 12 项" — at most ``limit`` names, then how many in all."""
    texts = [f.text for f in figures]
    shown = "、".join(texts[:limit])
    if len(texts) > limit:
        shown = _("%(names)s 等 %(count)s 项") % {"names": shown, "count": len(texts)}
    return shown
