from django.db import migrations


def load(apps, schema_editor):
    from official import loader

    loader.load(apps.get_model("official", "NumberingRule"), apps.get_model("regions", "Province"))


class Migration(migrations.Migration):
    dependencies = [("official", "0002_documents_are_immutable"), ("regions", "0002_load_regions")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
