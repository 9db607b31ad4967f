from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("材料")

    def ready(self):
        from django.core.signals import request_finished

        from . import files

        request_finished.connect(files.discard_uncommitted, dispatch_uid="documents.discard_uncommitted")
