"""The moved Initiative model's tables take this app's names; its content types follow it, so admin
history and permissions keep pointing at the same rows."""

from django.db import migrations

MODELS = ["initiative", "historicalinitiative"]


def move_content_types(apps, schema_editor, old="actions", new="initiatives"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model__in=MODELS + ["historicalinitiative_involved_cities"]).update(
        app_label=new)


def move_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="initiatives", new="actions")


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0003_initiative_moves"),
        ("actions", "0005_initiative_moves"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="initiative", table=None),
        migrations.AlterModelTable(name="historicalinitiative", table=None),
        migrations.AlterModelTable(name="historicalinitiative_involved_cities", table=None),
        migrations.RenameIndex(model_name="initiative", new_name="initiative_state_decided_idx",
                               old_name="actions_ini_state_f2bd6e_idx"),
        migrations.RunPython(move_content_types, move_back),
    ]
