#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""
import os
import sys

# Commands that read the code and write files or a report, never sign or serve anything.
OFFLINE_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate", "makemessages", "compilemessages", "spectacular"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demozone.settings")
    if sys.argv[1:2] and sys.argv[1] in OFFLINE_COMMANDS:
        # These only read the code (models, messages, the API schema): they sign nothing, so they need no secret.
        os.environ.setdefault("DJANGO_SECRET_KEY", "offline-command-signs-nothing")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # read the settings now: a missing variable is named, not hidden behind
    except ImproperlyConfigured as error:  # Django's "Models aren't loaded yet"
        sys.exit(f"demozone: {error} (scripts/test and scripts/run set what they need)")

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
