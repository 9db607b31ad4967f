from django.db import migrations


def load(apps, schema_editor):
    """Reload the rule sets: the trial measures are repealed on the current measures' effective date (seeds/001:
    《…（试行）》同时废止)."""
    from rulesets import loader

    loader.load(apps.get_model("rulesets", "RuleSet"))


class Migration(migrations.Migration):
    dependencies = [("rulesets", "0002_load_rulesets")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
