"""The Initiative model now lives in the initiatives app (see initiatives/0003): gone from this app's
state; its tables stay until initiatives/0004 renames them."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('actions', '0004_text_limits'),
        ('initiatives', '0003_initiative_moves'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.RemoveField(
                model_name='historicalinitiative_involved_cities',
                name='history',
            ),
            migrations.RemoveField(
                model_name='historicalinitiative_involved_cities',
                name='city',
            ),
            migrations.RemoveField(
                model_name='historicalinitiative_involved_cities',
                name='initiative',
            ),
            migrations.RemoveField(
                model_name='initiative',
                name='action_point',
            ),
            migrations.RemoveField(
                model_name='initiative',
                name='involved_cities',
            ),
            migrations.RemoveField(
                model_name='initiative',
                name='plan',
            ),
            migrations.RemoveField(
                model_name='initiative',
                name='proposed_by',
            ),
            migrations.RemoveField(
                model_name='initiative',
                name='proposing_city',
            ),
            migrations.DeleteModel(
                name='HistoricalInitiative',
            ),
            migrations.DeleteModel(
                name='HistoricalInitiative_involved_cities',
            ),
            migrations.DeleteModel(
                name='Initiative',
            ),
        ]),
    ]
