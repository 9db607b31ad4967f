import io

import pytest
from pypdf import PdfReader

from tests.conftest import RELOADERS


def _reload_numbering():
    from official import loader
    from official.models import NumberingRule
    from regions.models import Province

    if not NumberingRule.objects.exists():
        loader.load(NumberingRule, Province)


if _reload_numbering not in RELOADERS:
    RELOADERS.append(_reload_numbering)


def pdf_text(document_or_bytes):
    """The text of every page, as a reader of the PDF gets it."""
    data = document_or_bytes if isinstance(document_or_bytes, bytes) else _read(document_or_bytes)
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_fonts(data):
    """{base font name: embedded?} over every page (the descendant CID font's descriptor carries the file)."""
    reader = PdfReader(io.BytesIO(data))
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                          if "/DescendantFonts" in font else font.get("/FontDescriptor"))
            descriptor = descriptor.get_object() if descriptor is not None else {}
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


def pdfa_part(data):
    """The PDF/A part its XMP metadata declares (pdfaid:part), or None."""
    import re

    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    if "/Metadata" not in root or "/OutputIntents" not in root:
        return None
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8", "replace")
    found = re.search(r"pdfaid:part(?:>|=\")(\d)", xmp)
    return int(found.group(1)) if found else None


def _read(document):
    with document.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def read_file():
    return _read
