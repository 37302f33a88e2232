# What pages used to create when first looked at is created when it comes into being
# (segments for Customer Segments notes, a canvas' default criteria), so these are made here
# for the canvases of before. Criteria get one name per canvas, in any case.

import django.db.models.functions.text
from django.db import migrations, models
from django.utils import translation
from django.utils.translation import gettext

DEFAULT_CRITERIA = [
    ("Size", 3, "attractiveness"),
    ("Growth potential", 2, "attractiveness"),
    ("Profitability", 3, "attractiveness"),
    ("Fit with our offer", 3, "ability"),
    ("Accessible through our channels", 2, "ability"),
    ("Willingness to pay", 2, "attractiveness"),
]


def create_what_pages_created(apps, schema_editor):
    Canvas = apps.get_model("canvas_app", "Canvas")
    Note = apps.get_model("canvas_app", "Note")
    Segment = apps.get_model("segments", "Segment")
    PrioritySettings = apps.get_model("segments", "PrioritySettings")
    Criterion = apps.get_model("segments", "Criterion")
    notes = Note.objects.filter(block="customer_segments", deleted_at__isnull=True, segment__isnull=True)
    Segment.objects.bulk_create([Segment(note=note) for note in notes], ignore_conflicts=True)
    for canvas in Canvas.objects.filter(priority_settings__isnull=True):
        PrioritySettings.objects.create(canvas=canvas)
        if not Criterion.objects.filter(canvas=canvas).exists():
            with translation.override(canvas.language):
                Criterion.objects.bulk_create(
                    Criterion(canvas=canvas, name=gettext(name), weight=weight, axis=axis, position=index)
                    for index, (name, weight, axis) in enumerate(DEFAULT_CRITERIA, start=1)
                )


def rename_same_named_criteria(apps, schema_editor):
    """Concurrent adds could leave two criteria of one name: number the later ones."""
    Criterion = apps.get_model("segments", "Criterion")
    seen: dict[tuple[int, str], int] = {}
    for criterion in Criterion.objects.order_by("canvas_id", "position", "pk"):
        key = (criterion.canvas_id, criterion.name.lower())
        if key in seen:
            seen[key] += 1
            criterion.name = f"{criterion.name[:75]} ({seen[key]})"
            criterion.save(update_fields=["name"])
        else:
            seen[key] = 1


class Migration(migrations.Migration):

    dependencies = [
        ('canvas_app', '0006_change_record'),
        ('segments', '0003_fit_item_versions'),
    ]

    operations = [
        migrations.RunPython(create_what_pages_created, migrations.RunPython.noop),
        migrations.RunPython(rename_same_named_criteria, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='criterion',
            constraint=models.UniqueConstraint(models.F('canvas'), django.db.models.functions.text.Lower('name'), name='one_criterion_name_per_canvas'),
        ),
    ]
