"""The moved Invitation model's tables take this app's names; its content types follow it."""

from django.db import migrations

MODELS = ["invitation", "historicalinvitation"]


def move_content_types(apps, schema_editor, old="dashboard", new="accounts"):
    apps.get_model("contenttypes", "ContentType").objects.filter(app_label=old, model__in=MODELS).update(app_label=new)


def move_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="accounts", new="dashboard")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_invitation_moves"),
        ("dashboard", "0002_invitation_moves"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="invitation", table=None),
        migrations.AlterModelTable(name="historicalinvitation", table=None),
        migrations.RenameIndex(model_name="invitation", new_name="invitation_email_idx",
                               old_name="dashboard_i_email_6416ef_idx"),
        migrations.RunPython(move_content_types, move_back),
    ]
