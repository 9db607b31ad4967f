"""The history on the case page names each decision's particulars: the recommendation's rank (办法 第八条) and a
sanction's ground in the measures' words (第二十二条) — by name, never by internal key."""
import pytest
from django.urls import reverse

from cases.journeys import act, drive
from cases.workflow import State
from tests.factories import new_case

pytestmark = pytest.mark.django_db


def test_history_shows_the_rank_and_the_sanction_ground(client, cast, call, clock):
    case = drive(new_case(cast, call), State.DESIGNATED, cast, clock)
    act(case, "warn", cast, clock)
    client.force_login(cast.officer)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "推荐排序：第 1 位" in page
    words = case.rule_set.sanction_grounds["decline"]
    assert f"情形：</span>{words}" in page
    history = page.split('data-testid="history"')[1].split("</ol>")[0]
    assert "decline" not in history  # the internal key is not shown
    assert "资料审查：</span>已完成" in page  # the pre-review's checks (办法 第十三条)


def test_history_shows_the_comment_line_by_line_and_links_the_attachments(client, cast, call, clock):
    from cases.services import perform_transition

    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    documents = list(case.documents.order_by("pk")[:2])
    perform_transition(case_id=case.pk, name="return_for_correction", actor=cast.reviewer,
                       payload={"comment": "补正<第一项>\n第二项", "attachments": [d.pk for d in documents]})
    client.force_login(cast.officer)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    history = page.split('data-testid="history"')[1].split("</ol>")[0]
    assert "补正&lt;第一项&gt;<br>第二项</blockquote>" in history
    links = "、".join(f'<a href="{reverse("case-document", args=[case.pk, d.pk])}">{d.title}</a>' for d in documents)
    assert links in history and "附件：" in history
