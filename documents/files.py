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
from django.db import connection, transaction

log = logging.getLogger(__name__)
_pending = threading.local()


def _pending_files():
    if not hasattr(_pending, "files"):
        _pending.files = {}
    return _pending.files


def track(name):
    """Note a just-written storage path; it is kept only if the surrounding transaction commits."""
    pending = _pending_files()

    def committed():
        pending.pop(name, None)

    pending[name] = committed
    transaction.on_commit(committed)


def discard_uncommitted(**kwargs):
    """Delete the files written by acts that were rolled back. A file whose act's commit callback is still queued
    belongs to a transaction that is still open (a test wrapped in one): it stays pending, nothing is asked of
    the database."""
    pending = _pending_files()
    queued = {id(item[1]) for item in connection.run_on_commit}
    for name, callback in list(pending.items()):
        if id(callback) in queued:
            continue
        del pending[name]
        try:
            default_storage.delete(name)
        except OSError:  # already gone, or the disk refuses: the orphan sweep will try again
            log.warning("could not remove the file of a rolled-back act: %s", name)
