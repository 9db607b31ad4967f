from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("评估指标体系")

    def ready(self):
        # The engine is pure Python; once Django is up its explanations speak the reader's language.
        from django.utils.translation import gettext, pgettext

        from . import engine

        engine.translate = gettext
        engine.translate_in_context = pgettext
