"""The JSON parser every API endpoint uses: it refuses, with a 400, what would otherwise break deeper down —
nesting deeper than JSON_MAX_DEPTH (Python's parser would hit its recursion limit: a 500) and NUL characters in
any string or key (PostgreSQL cannot store them in text or JSON: a 500 at save time)."""
import codecs
import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _too_deep(text, limit):
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _has_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
        except UnicodeDecodeError:
            raise ParseError(_("请求内容不是有效的 %(encoding)s 编码。") % {"encoding": encoding}) from None
        if _too_deep(text, settings.JSON_MAX_DEPTH):
            raise ParseError(_("JSON 嵌套层数超过 %(limit)s 层。") % {"limit": settings.JSON_MAX_DEPTH})
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as error:
            raise ParseError(_("JSON 格式有误：%(error)s") % {"error": error}) from None
        if _has_nul(data):
            raise ParseError(_("内容中不能包含空字符（NUL）。"))
        return data


def _refuse_constant(name):
    raise ValueError(_("不支持 %(name)s。") % {"name": name})
