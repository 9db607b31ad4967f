"""Official documents as PDF: a Django template rendered by WeasyPrint, set in the fonts the project ships.

Layout after GB/T 9704-2012 (党政机关公文格式), in official/document.css: A4, 版心 156 × 225 mm (天头 37 mm, 订口
28 mm), 22 lines of 28 characters; the 版头 in red with the 发文字号 and the red 分隔线; the 标题 in 2号 bold serif
(小标宋); 主送机关, 正文 and 附件说明 in 3号 serif (the standard's 仿宋 — see docs/decisions.md); 发文机关署名 and 成文日期
right; page numbers "— 1 —" in 4号 at the outer edge (odd pages right, even pages left). Archive copies are PDF/A
(ARCHIVE_VARIANT); printouts are plain PDF.

The fonts are embedded (subsets) in every PDF: ours first (official/fonts, OFL), then a system CJK font for a
character ours lack, if the machine has one."""
import atexit
import pathlib
import threading

from django.template.loader import render_to_string
from django.utils import translation

FONTS = pathlib.Path(__file__).resolve().parent / "fonts"
STYLESHEET = pathlib.Path(__file__).resolve().parent / "document.css"
ARCHIVE_VARIANT = "pdf/a-2u"  # PDF/A-2 with every glyph mapped to Unicode: searchable, verifiable, archivable

FACES = [  # (family, file, weight)
    ("Demozone Serif SC", "DemozoneSerifSC-Regular.otf", 400),
    ("Demozone Serif SC", "DemozoneSerifSC-Bold.otf", 700),
    ("Demozone Sans SC", "DemozoneSansSC-Regular.otf", 400),
    ("Demozone Sans SC", "DemozoneSansSC-Regular.otf", 700),
]


def font_face_css():
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{(FONTS / name).as_uri()}"); font-weight: {weight}; }}'
        for family, name, weight in FACES)


_local = threading.local()


def _stylesheet():
    """Parsed once per thread (Pango's font objects are not shared across threads): the @font-face rules and the
    layout, with the font configuration they load into."""
    cached = getattr(_local, "stylesheet", None)
    if cached is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        css = CSS(string=font_face_css() + "\n" + STYLESHEET.read_text(encoding="utf-8"), font_config=font_config)
        cached = _local.stylesheet = (css, font_config)
        _CACHES.append(_local.__dict__)
    return cached


_CACHES = []


@atexit.register
def _release():
    # Let the cached font configurations go while the interpreter can still clean them up (__del__ needs modules).
    for cache in _CACHES:
        cache.pop("stylesheet", None)
    _CACHES.clear()


def render_html(template_name, context):
    """The document's HTML. Official documents are in Chinese, whatever the language of the person acting."""
    with translation.override("zh-hans"):
        return render_to_string(template_name, context)


def html_to_pdf(html, *, archive=True, title=""):
    from weasyprint import HTML

    css, font_config = _stylesheet()
    options = {"pdf_variant": ARCHIVE_VARIANT} if archive else {}
    document = HTML(string=html, base_url=str(FONTS)).render(stylesheets=[css], font_config=font_config)
    if title:
        document.metadata.title = title
    document.metadata.lang = "zh-CN"
    return document.write_pdf(**options)


def render_pdf(template_name, context, *, archive=True):
    """Render ``template_name`` with ``context`` to PDF bytes (PDF/A when ``archive``)."""
    return html_to_pdf(render_html(template_name, context), archive=archive, title=context.get("title", ""))
