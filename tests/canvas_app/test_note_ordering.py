"""Note positions: 1..n in every block after every operation, also under concurrent moves."""

from __future__ import annotations

import random
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from canvas_app.models import Block, Note
from tests.conftest import make_notes, positions

KP, VP, CS = Block.KEY_PARTNERS, Block.VALUE_PROPOSITIONS, Block.CUSTOMER_SEGMENTS


def texts(canvas, block) -> list[str]:
    return [text for _, text in positions(canvas, block)]


def assert_contiguous(canvas) -> None:
    for block in Block.values:
        assert [p for p, _ in positions(canvas, block)] == list(range(1, canvas.notes.filter(block=block).count() + 1))


@pytest.fixture
def three(canvas):
    return [canvas.add_note(block=KP, text=t) for t in ("a", "b", "c")]


def test_added_notes_go_to_the_end_of_their_block(canvas, three):
    assert positions(canvas, KP) == [(1, "a"), (2, "b"), (3, "c")]


def test_it_reorders_within_a_block(canvas, three):
    three[2].move(block=KP, position=1)
    assert texts(canvas, KP) == ["c", "a", "b"]
    three[2].move(block=KP, position=3)
    assert texts(canvas, KP) == ["a", "b", "c"]


def test_it_moves_to_another_block_and_closes_the_gap(canvas, three):
    canvas.add_note(block=VP, text="x")
    three[0].move(block=VP, position=1)
    assert positions(canvas, KP) == [(1, "b"), (2, "c")]
    assert positions(canvas, VP) == [(1, "a"), (2, "x")]


def test_positions_out_of_range_are_clamped(canvas, three):
    three[0].move(block=KP, position=99)
    assert texts(canvas, KP) == ["b", "c", "a"]
    three[0].move(block=CS, position=0)
    assert positions(canvas, CS) == [(1, "a")]


def test_steps_up_and_down_stop_at_the_ends(canvas, three):
    three[0].move_by(-1)
    assert texts(canvas, KP) == ["a", "b", "c"]
    three[0].move_by(1)
    assert texts(canvas, KP) == ["b", "a", "c"]
    three[2].move_by(1)
    assert texts(canvas, KP) == ["b", "a", "c"]


def test_delete_closes_the_gap_and_undo_restores_the_place(canvas, three):
    three[1].delete_softly()
    assert positions(canvas, KP) == [(1, "a"), (2, "c")]
    assert Note.all_objects.get(pk=three[1].pk).is_deleted
    three[1].restore()
    assert positions(canvas, KP) == [(1, "a"), (2, "b"), (3, "c")]


def test_undo_after_the_block_shrank_puts_the_note_at_the_end(canvas, three):
    three[2].delete_softly()
    three[0].move(block=VP, position=1)
    three[2].restore()
    assert positions(canvas, KP) == [(1, "b"), (2, "c")]


def test_deleting_twice_or_restoring_a_live_note_changes_nothing(canvas, three):
    three[0].delete_softly()
    three[0].delete_softly()
    three[1].restore()
    assert positions(canvas, KP) == [(1, "b"), (2, "c")]


def test_the_database_refuses_two_live_notes_at_one_position(canvas, three):
    with pytest.raises(IntegrityError), transaction.atomic():
        Note.objects.filter(pk=three[1].pk).update(position=1)


def test_random_operations_keep_positions_contiguous(canvas):
    make_notes(canvas, 40)
    rng = random.Random(7)
    for _ in range(150):
        note = rng.choice(list(canvas.notes.all()))
        action = rng.random()
        if action < 0.6:
            note.move(block=rng.choice(Block.values), position=rng.randint(0, 12))
        elif action < 0.8:
            note.move_by(rng.choice([-1, 1]))
        else:
            note.delete_softly()
            if rng.random() < 0.5:
                note.restore()
        assert_contiguous(canvas)
    assert canvas.notes.count() + Note.all_objects.filter(canvas=canvas, deleted_at__isnull=False).count() == 40


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_never_share_a_position_or_leave_a_gap(owner):
    from tests.conftest import make_canvas

    canvas = make_canvas(owner)
    make_notes(canvas, 45)
    note_ids = list(canvas.notes.values_list("pk", flat=True))
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        try:
            start.wait()
            for _ in range(25):
                note = Note.objects.get(pk=rng.choice(note_ids))
                note.move(block=rng.choice([KP, VP, CS]), position=rng.randint(1, 10))
        except BaseException as error:  # noqa: BLE001 - reported to the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert canvas.notes.count() == 45
    assert_contiguous(canvas)
