"""文号: the issuer's prefix for the kind (NumberingRule, data) and the next number of the issuer, kind and year.

Numbers are gapless per issuing organisation, kind and year (issue #11): django-sequences keeps one counter row per
(issuer, kind, year) and takes the next value inside the act's own transaction — on PostgreSQL an upsert that
holds the row until the act commits, so a second act issuing at the same moment waits for the first and takes the
next number, and an act that is rolled back gives its number back. GB/T 9704-2012 7.2.4: 年份用六角括号〔〕,
序号不编虚位（1不编为01）, 不加“第”."""
from sequences import get_next_value

from .models import DocumentKind, IssuerKind, NumberingRule

DEFAULT_PATTERN = "{prefix}〔{year}〕{n}号"


def rule_for(issuer, kind):
    """The issuer's numbering rule for ``kind``. An issuer without one in the data (a bureau an admin has not set
    up) numbers with its own name and the kind, so numbers stay unique and readable rather than the act failing."""
    if issuer.kind == IssuerKind.SAMR:
        rule = NumberingRule.objects.filter(issuer_kind=IssuerKind.SAMR, province__isnull=True, kind=kind).first()
    else:
        rule = NumberingRule.objects.filter(issuer_kind=IssuerKind.PROVINCE, province_id=issuer.province_id,
                                            kind=kind).first()
    if rule is None:
        rule = NumberingRule(issuer_kind=issuer.kind, kind=kind, pattern=DEFAULT_PATTERN,
                             prefix=f"{issuer.name}{DocumentKind(kind).label}")
    return rule


def sequence_name(issuer, kind, year):
    return f"official.{issuer.pk}.{kind}.{year}"


def next_number(*, issuer, kind, year, n=None):
    """(文号, n) for the next document of ``issuer``'s ``kind`` in ``year``. Call inside the act's transaction.
    ``n`` is for a document numbered by its own record (the 认定公告: the announcement's number of the year)."""
    if n is None:
        n = get_next_value(sequence_name(issuer, kind, year))
    return rule_for(issuer, kind).format(year=year, n=n), n

