"""The Initiative model moves here from the actions app: in Django's state only, on its old tables
(renamed in 0004). Nothing in the database changes here."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('actions', '0004_text_limits'),
        ('cities', '0001_initial'),
        ('initiatives', '0002_text_limits'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='HistoricalInitiative',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('title', models.CharField(max_length=200, verbose_name='title')),
                    ('description', models.TextField(blank=True, max_length=10000, verbose_name='description')),
                    ('created', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                    ('start', models.DateField(blank=True, null=True, verbose_name='start')),
                    ('end', models.DateField(blank=True, null=True, verbose_name='end')),
                    ('state', models.CharField(choices=[('proposed', 'Waiting for answers'), ('approved', 'Approved'), ('declined', 'Declined'), ('withdrawn', 'Withdrawn')], default='proposed', max_length=10, verbose_name='state')),
                    ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                    ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('action_point', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='actions.actionpoint', verbose_name='action point')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='actions.actionplan', verbose_name='plan')),
                    ('proposed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='proposed by')),
                    ('proposing_city', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cities.city', verbose_name='proposing city')),
                ],
                options={
                    'db_table': 'actions_historicalinitiative',
                    'verbose_name': 'historical initiative',
                    'verbose_name_plural': 'historical initiatives',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='Initiative',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=200, verbose_name='title')),
                    ('description', models.TextField(blank=True, max_length=10000, verbose_name='description')),
                    ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('start', models.DateField(blank=True, null=True, verbose_name='start')),
                    ('end', models.DateField(blank=True, null=True, verbose_name='end')),
                    ('state', models.CharField(choices=[('proposed', 'Waiting for answers'), ('approved', 'Approved'), ('declined', 'Declined'), ('withdrawn', 'Withdrawn')], default='proposed', max_length=10, verbose_name='state')),
                    ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                    ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                    ('action_point', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='initiatives', to='actions.actionpoint', verbose_name='action point')),
                    ('involved_cities', models.ManyToManyField(related_name='involved_initiatives', to='cities.city', verbose_name='involved cities')),
                    ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='initiatives', to='actions.actionplan', verbose_name='plan')),
                    ('proposed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='proposed by')),
                    ('proposing_city', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='proposed_initiatives', to='cities.city', verbose_name='proposing city')),
                ],
                options={
                    'db_table': 'actions_initiative',
                    'verbose_name': 'initiative',
                    'verbose_name_plural': 'initiatives',
                    'ordering': ['-created'],
                },
            ),
            migrations.CreateModel(
                name='HistoricalInitiative_involved_cities',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('city', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cities.city')),
                    ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='initiatives.historicalinitiative')),
                    ('initiative', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='initiatives.initiative')),
                ],
                options={
                    'db_table': 'actions_historicalinitiative_involved_cities',
                    'verbose_name': 'HistoricalInitiative_involved_cities',
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.AlterField(
                model_name='consentrequest',
                name='initiative',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='consents', to='initiatives.initiative', verbose_name='initiative'),
            ),
            migrations.AlterField(
                model_name='decision',
                name='initiative',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decisions', to='initiatives.initiative', verbose_name='initiative'),
            ),
            migrations.AlterField(
                model_name='historicalconsentrequest',
                name='initiative',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='initiatives.initiative', verbose_name='initiative'),
            ),
            migrations.AlterField(
                model_name='historicaldecision',
                name='initiative',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='initiatives.initiative', verbose_name='initiative'),
            ),
            migrations.AddIndex(
                model_name='initiative',
                index=models.Index(fields=['state', 'decided_at'], name='actions_ini_state_f2bd6e_idx'),
            ),
            migrations.AddConstraint(
                model_name='initiative',
                constraint=models.CheckConstraint(condition=models.Q(('state__in', ['proposed', 'approved', 'declined', 'withdrawn'])), name='initiative_state_valid'),
            ),
            migrations.AddConstraint(
                model_name='initiative',
                constraint=models.CheckConstraint(condition=models.Q(('start__isnull', True), ('end__isnull', True), ('end__gte', models.F('start')), _connector='OR'), name='initiative_end_not_before_start', violation_error_message='An initiative cannot end before it starts.'),
            ),
            migrations.AddConstraint(
                model_name='initiative',
                constraint=models.CheckConstraint(condition=models.Q(('state', 'proposed'), ('decided_at__isnull', False), _connector='OR'), name='initiative_decided_has_date'),
            ),
        ]),
    ]
