"""English is complete: switching the language turns the Chinese source strings into English on the pages, in
state and move labels and in the messages of refused moves. Chinese (zh-hans) is the default."""
import ast
import gettext

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cases.services import MOVES
from cases.workflow import State
from tests.factories import new_case

pytestmark = pytest.mark.django_db


def switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("case-list")})
    assert response.status_code == 302
    return response


def test_chinese_is_the_default(client, cast, call):
    new_case(cast, call)
    client.force_login(cast.applicant)
    page = client.get(reverse("case-list")).content.decode()
    assert '<html lang="zh-hans">' in page
    assert ">草稿</span>" in page


def test_switching_to_english_translates_labels_on_the_pages(client, cast, call):
    case = new_case(cast, call)
    client.force_login(cast.applicant)
    switch_to_english(client)
    page = client.get(reverse("case-list")).content.decode()
    assert '<html lang="en">' in page
    assert ">Draft</span>" in page  # the state badge
    assert "Case reference" in page and "All states" in page
    assert "Applicant (creation object)" in page  # the user's role in the navbar
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Submit creation application" in page  # the move's label
    assert "Withdraw" in page
    assert "Draft created" in page  # the history entry, stored in Chinese, shown in the reader's language
    assert "提交创建申请" not in page


def test_refusal_message_is_in_english(client, cast, call):
    case = new_case(cast, call)
    client.force_login(cast.applicant)
    switch_to_english(client)
    response = client.post(reverse("case-move", args=[case.pk, "withdraw"]), {"comment": ""})
    assert response.status_code == 400
    assert "&quot;Withdraw&quot; needs a reason." in response.content.decode()


def test_every_state_move_and_role_label_has_an_english_translation():
    from accounts.models import Role

    labels = [s.label for s in State] + [m.label for m in MOVES.values()] + [r.label for r in Role]
    with translation.override("en"):
        untranslated = [str(label) for label in labels if str(label) and not str(label).isascii()]
    assert untranslated == []


def _po_entries(path):
    """(msgid, msgstr or plural msgstr[0], flags) of a .po file; enough of the format for our own catalogue."""
    entries, current, key, flags, context = [], {}, None, "", None

    def flush():
        if current.get("msgid"):
            # A message with a context is keyed "context\x04msgid" in the compiled catalogue.
            msgid = f"{current['context']}\x04{current['msgid']}" if current.get("context") else current["msgid"]
            entries.append((msgid, current.get("msgstr", current.get("msgstr[0]", "")), current["flags"]))

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,"):
            flags = line
        elif line.startswith("msgctxt "):
            flush()
            current, key = {}, None
            context = ast.literal_eval(line[8:])
        elif line.startswith("msgid "):
            if current.get("msgid"):
                flush()
            current, key = {"flags": flags, "context": context}, "msgid"
            current[key] = ast.literal_eval(line[6:])
            flags, context = "", None
        elif line.startswith(("msgid_plural ", "msgstr ", "msgstr[")):
            key, _, value = line.partition(" ")
            current[key] = ast.literal_eval(value)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
    flush()
    return entries


def test_every_message_is_translated_and_compiled():
    folder = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES"
    entries = _po_entries(folder / "django.po")
    assert len(entries) > 300
    assert [msgid for msgid, msgstr, _ in entries if not msgstr] == [], "untranslated: run makemessages, translate"
    assert [msgid for msgid, _, flags in entries if "fuzzy" in flags] == []
    # The .mo is committed (the fresh machine has no gettext tools) and must match the .po.
    with (folder / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    stale = [msgid for msgid, msgstr, _ in entries if catalogue._catalog.get(msgid, catalogue._catalog.get((msgid, 0))) != msgstr]
    assert stale == [], "django.mo is stale: run manage.py compilemessages"


@pytest.mark.django_db
def test_pages_are_chinese_even_for_an_english_browser_until_the_user_chooses(client):
    assert "登录" in client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Log in" in client.get("/login/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()


@pytest.mark.django_db
def test_api_clients_may_ask_for_english_messages(client):
    response = client.get("/api/cases/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert "credentials" in response.json()["detail"].lower()
