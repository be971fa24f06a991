"""Invitations move here from the dashboard app: in Django's state only, on their old tables (renamed
in 0004). Nothing in the database changes here."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_password_reset_requests'),
        ('cities', '0001_initial'),
        ('dashboard', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='HistoricalInvitation',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('email', models.EmailField(max_length=254, verbose_name='email')),
                    ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                    ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                    ('role', models.CharField(choices=[('delegate', 'Delegate'), ('mayor', 'Mayor'), ('observer', 'Observer')], max_length=20, verbose_name='role')),
                    ('language', models.CharField(choices=[('en', 'English'), ('de', 'German'), ('fi', 'Finnish'), ('sv', 'Swedish'), ('nb', 'Norwegian Bokmål'), ('lv', 'Latvian'), ('ru', 'Russian'), ('et', 'Estonian'), ('lt', 'Lithuanian'), ('pl', 'Polish'), ('da', 'Danish')], default='en', max_length=10, verbose_name='language')),
                    ('created', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                    ('expires_at', models.DateTimeField(verbose_name='expires at')),
                    ('used_at', models.DateTimeField(blank=True, null=True, verbose_name='used at')),
                    ('revoked', models.BooleanField(default=False, verbose_name='revoked')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('city', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cities.city', verbose_name='city')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('invited_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='invited by')),
                    ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='account created')),
                ],
                options={
                    'db_table': 'dashboard_historicalinvitation',
                    'verbose_name': 'historical invitation',
                    'verbose_name_plural': 'historical invitations',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='Invitation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('email', models.EmailField(max_length=254, verbose_name='email')),
                    ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                    ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                    ('role', models.CharField(choices=[('delegate', 'Delegate'), ('mayor', 'Mayor'), ('observer', 'Observer')], max_length=20, verbose_name='role')),
                    ('language', models.CharField(choices=[('en', 'English'), ('de', 'German'), ('fi', 'Finnish'), ('sv', 'Swedish'), ('nb', 'Norwegian Bokmål'), ('lv', 'Latvian'), ('ru', 'Russian'), ('et', 'Estonian'), ('lt', 'Lithuanian'), ('pl', 'Polish'), ('da', 'Danish')], default='en', max_length=10, verbose_name='language')),
                    ('token_hash', models.CharField(editable=False, max_length=64, unique=True, verbose_name='token digest')),
                    ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('expires_at', models.DateTimeField(verbose_name='expires at')),
                    ('used_at', models.DateTimeField(blank=True, null=True, verbose_name='used at')),
                    ('revoked', models.BooleanField(default=False, verbose_name='revoked')),
                    ('city', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cities.city', verbose_name='city')),
                    ('invited_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='invited by')),
                    ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='account created')),
                ],
                options={
                    'db_table': 'dashboard_invitation',
                    'verbose_name': 'invitation',
                    'verbose_name_plural': 'invitations',
                    'ordering': ['-created'],
                    'indexes': [models.Index(fields=['email'], name='dashboard_i_email_6416ef_idx')],
                    'constraints': [models.CheckConstraint(condition=models.Q(('role__in', ['delegate', 'mayor', 'observer'])), name='invitation_city_role', violation_error_message='Only delegates, mayors and observers are invited.'), models.CheckConstraint(condition=models.Q(('expires_at__gt', models.F('created'))), name='invitation_expires_after_created')],
                },
            ),
        ]),
    ]
