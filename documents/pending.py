"""Files kept from a failed form (DESIGN: a file kept in a failed form is not lost).

A page that takes a file calls ``keep`` when its form fails after a file was chosen, shows "已上传: x.pdf，无需重新
选择" with the kept file's id in a hidden field, and on the next post ``resolve`` gives back the newly chosen file,
or else the kept one. ``used`` removes the kept file once its act has committed. Only the user who chose the file,
on the same case, can use it."""
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from .models import PendingUpload


def keep(*, user, case, uploaded):
    """Keep ``uploaded`` (a Django UploadedFile) for ``user`` on ``case``; returns the PendingUpload."""
    uploaded.seek(0)
    pending = PendingUpload(user=user, case=case, name=(uploaded.name or "file")[:200], size=uploaded.size)
    pending.file.save("upload", uploaded, save=False)
    pending.save()
    uploaded.seek(0)
    return pending


def find(*, user, case, pending_id):
    """The user's kept file on this case with that id, or None (another user's or case's id finds nothing)."""
    if not str(pending_id or "").isdigit():
        return None
    return PendingUpload.objects.filter(pk=int(pending_id), user=user, case=case).first()


def resolve(*, user, case, uploaded, pending_id):
    """(file, pending): the file this post brings — newly chosen, else the one kept before — and the kept row
    (or None). A newly chosen file replaces the kept one."""
    pending = find(user=user, case=case, pending_id=pending_id)
    if uploaded is not None:
        if pending is not None:
            discard(pending)
        return uploaded, None
    if pending is None:
        return None, None
    # The uploader's name travels with the bytes, for the document's title.
    return File(default_storage.open(pending.file.name, "rb"), name=pending.name), pending


def keep_or_carry(*, user, case, uploaded, pending):
    """After a failed post: the kept row to show again — the file chosen in this post kept, or the earlier one."""
    if uploaded is not None:
        return keep(user=user, case=case, uploaded=uploaded)
    return pending


def discard(pending):
    name = pending.file.name
    pending.delete()
    default_storage.delete(name)


def used(pending):
    """The kept file became a document: remove it once the act has committed."""
    if pending is None:
        return
    pending_id = pending.pk

    def remove():
        row = PendingUpload.objects.filter(pk=pending_id).first()
        if row is not None:
            discard(row)

    transaction.on_commit(remove)
