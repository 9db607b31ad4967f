from django.db import migrations


def load(apps, schema_editor):
    from official import loader  # idempotent: adds the 专家评分表's rule (市监网监评表), keeps the others

    loader.load(apps.get_model("official", "NumberingRule"), apps.get_model("regions", "Province"))


class Migration(migrations.Migration):
    dependencies = [("official", "0004_lists_can_be_corrected")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
