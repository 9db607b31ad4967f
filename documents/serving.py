"""Serving an uploaded file — only ever through a view that has checked the case's scope (never a media URL).

PDFs and images open in the browser (a reviewer reads them before acting); other formats download. The answer is
marked so that nothing in it can run: the type comes from the bytes checked at upload, nosniff, and a sandboxing
Content-Security-Policy."""
from django.http import FileResponse, Http404

from . import content


def file_response(document, *, download=False):
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    fmt = document.content_format or content.PDF
    filename = f"{document.title or 'document'}.{content.EXTENSIONS.get(fmt, 'bin')}"
    inline = fmt in content.INLINE and not download
    response = FileResponse(handle, as_attachment=not inline, filename=filename,
                            content_type=content.CONTENT_TYPES.get(fmt, "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = ("sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                                           "frame-ancestors 'self'")
    response["X-Frame-Options"] = "SAMEORIGIN"  # a reviewer's page may show it in a frame of the app's own
    response["Cache-Control"] = "private, no-store"
    return response
