# Each segment gets a colour of its own from the segment palette and a letter (before, a
# segment's marks took its note's colour, so segments often looked alike). Existing segments
# get distinct ones in their order on the board.

from string import ascii_uppercase

from django.db import migrations, models

PALETTE_SIZE = 10


def letter_for(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = ascii_uppercase[rest] + letters
    return letters


def give_each_segment_its_marks(apps, schema_editor):
    Segment = apps.get_model("segments", "Segment")
    segments = Segment.objects.select_related("note")
    index, canvas_id, changed = 0, None, []

    def order(segment):
        # The segments of the Customer Segments block first, in board order; then those whose
        # note is elsewhere for now (moved, or deleted and waiting for an undo).
        elsewhere = segment.note.block != "customer_segments" or segment.note.deleted_at is not None
        return (segment.note.canvas_id, elsewhere, segment.note.position, segment.pk)

    ordered = sorted(segments, key=order)
    for segment in ordered:
        if segment.note.canvas_id != canvas_id:
            index, canvas_id = 0, segment.note.canvas_id
        segment.colour = index % PALETTE_SIZE + 1
        segment.letter = letter_for(index)
        changed.append(segment)
        index += 1
    Segment.objects.bulk_update(changed, ["colour", "letter"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("segments", "0005_undoable_segment_parts"),
    ]

    operations = [
        migrations.AddField(
            model_name="segment",
            name="colour",
            field=models.PositiveSmallIntegerField(
                choices=[(1, "Rose"), (2, "Indigo"), (3, "Sand"), (4, "Green"), (5, "Cyan"), (6, "Wine"), (7, "Teal"), (8, "Olive"), (9, "Purple"), (10, "Pale grey")],
                default=1,
                verbose_name="colour",
            ),
        ),
        migrations.AddField(
            model_name="segment",
            name="letter",
            field=models.CharField(default="", editable=False, max_length=3, verbose_name="letter"),
        ),
        migrations.RunPython(give_each_segment_its_marks, migrations.RunPython.noop),
    ]
