from django.db import migrations

from rulesets.loader import load_in_migration


# Reload the rule sets: the trial measures are repealed on the current measures' effective date (seeds/001:
# 《…（试行）》同时废止).
class Migration(migrations.Migration):
    dependencies = [("rulesets", "0002_load_rulesets")]
    operations = [migrations.RunPython(load_in_migration, migrations.RunPython.noop)]
