from django.db import migrations


def load(apps, schema_editor):
    from regions import loader

    loader.load(apps.get_model("regions", "Province"), apps.get_model("regions", "CreationObject"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
