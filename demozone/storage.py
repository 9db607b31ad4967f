"""Static files in production: hashed names, compressed copies, cached for good (whitenoise).

Not strict about the manifest: a run without collectstatic (the test suite) serves the plain names instead of
failing every page with "Missing staticfiles manifest entry"."""
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name):
        if not self.hashed_files:  # no manifest (not collected): the plain name, without looking for the file
            return name  # (which cost ~1 ms per {% static %} on every page of ./scripts/run — issue 13)
        try:
            return super().stored_name(name)
        except ValueError:  # not collected (no collectstatic run): the plain name
            return name
