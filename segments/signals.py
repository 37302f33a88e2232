"""Hooks for apps that build on segments (customer data), so segments never imports them.

`segment_panels` is sent when a segment's page is drawn, with `canvas` (annotated with the
reader's `user_role`) and `segment`. A receiver returns HTML (already rendered and safe) to show on the page, after the
segment's description, or "" for nothing. Receivers must run a fixed number of queries."""

from __future__ import annotations

from django.dispatch import Signal

segment_panels = Signal()


def panels_for(canvas, segment) -> list[str]:
    answers = segment_panels.send(sender=type(segment), canvas=canvas, segment=segment)
    return [html for _receiver, html in answers if html]
