from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "publicity"
    verbose_name = _("公示")

    def ready(self):
        from . import cache

        cache.connect()  # the public pages' cache goes stale on every write to what they show (issue 13)
