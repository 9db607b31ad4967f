"""A file written by an act exists exactly when the act does.

Storage writes are not transactional: a file saved inside an act that is then refused or rolled back would stay on
disk with no row pointing at it. Every path written through ``track`` waits in a per-thread list until its
transaction commits (``transaction.on_commit`` removes it); whatever is still waiting when the request ends — the
act was rolled back — is deleted (``discard_uncommitted``, run on request_finished and by callers outside a
request). A process that dies between the write and the commit leaves a file no row names: the
``sweep_orphan_files`` command removes those."""
import logging
import threading

from django.core.files.storage import default_storage
from django.db import transaction

log = logging.getLogger(__name__)
_pending = threading.local()


def _paths():
    if not hasattr(_pending, "paths"):
        _pending.paths = set()
    return _pending.paths


def track(name, model, field="file"):
    """Note a just-written storage path of ``model.field``; it is kept only if a row naming it is committed."""
    entry = (name, model, field)
    _paths().add(entry)
    transaction.on_commit(lambda: _paths().discard(entry))


def discard_uncommitted(**kwargs):
    """Delete the files written by acts that did not commit: no row names them (the check also keeps a file whose
    row is visible in a transaction still open, as in a test wrapped in one)."""
    paths = _paths()
    while paths:
        name, model, field = paths.pop()
        try:
            if model.objects.filter(**{field: name}).exists():
                continue
            default_storage.delete(name)
        except Exception:  # noqa: BLE001 — the request is over; the orphan sweep will try again
            log.warning("could not remove the file of a rolled-back act: %s", name, exc_info=True)
