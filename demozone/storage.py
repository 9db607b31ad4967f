"""Static files in production: hashed names, compressed copies, cached for good (whitenoise).

Not strict about the manifest: a run without collectstatic (the test suite) serves the plain names instead of
failing every page with "Missing staticfiles manifest entry"."""
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:  # not collected (no collectstatic run): the plain name
            return name
