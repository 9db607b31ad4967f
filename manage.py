#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demozone.settings")
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
