"""Invitations now live in the accounts app (see accounts/0003): gone from this app's state; the tables
stay until accounts/0004 renames them."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('dashboard', '0001_initial'),
        ('accounts', '0003_invitation_moves'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.RemoveField(
                model_name='invitation',
                name='city',
            ),
            migrations.RemoveField(
                model_name='invitation',
                name='invited_by',
            ),
            migrations.RemoveField(
                model_name='invitation',
                name='user',
            ),
            migrations.DeleteModel(
                name='HistoricalInvitation',
            ),
            migrations.DeleteModel(
                name='Invitation',
            ),
        ]),
    ]
