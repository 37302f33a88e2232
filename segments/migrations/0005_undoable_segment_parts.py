# Personas and fit items are deleted softly, for an undo (segments.undo).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("segments", "0004_eager_segments_and_unique_criteria"),
    ]

    operations = [
        migrations.AddField(
            model_name="persona",
            name="deleted_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="profileitem",
            name="deleted_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="valueitem",
            name="deleted_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
