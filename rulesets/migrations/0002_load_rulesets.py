from django.db import migrations


def load(apps, schema_editor):
    from rulesets import loader

    loader.load(apps.get_model("rulesets", "RuleSet"))


class Migration(migrations.Migration):
    dependencies = [("rulesets", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
