"""How views answer htmx: where the answer goes and where the focus lands after it.

The page swaps 2xx answers and the refusals 400, 409, 410, 422 and 429 (htmx's
`responseHandling`, set in base.html), so a refused action shows the server's own message
where the user acted. Any other error gets the page's general message."""

from __future__ import annotations

from django.http import HttpResponse
from django_htmx.http import reswap, retarget, trigger_client_event

__all__ = ["focus", "replace", "reswap"]


def focus(response: HttpResponse, element_id: str) -> HttpResponse:
    """Ask the page to move the focus to the element with this id once the swap has settled."""
    # Sent to <body>: the element that asked may have been swapped out of the page.
    return trigger_client_event(response, "lienzo:focus", {"id": element_id, "target": "body"}, after="settle")


def replace(response: HttpResponse, element_id: str) -> HttpResponse:
    """Swap the answer in place of the element with this id (whatever the request targeted)."""
    return reswap(retarget(response, f"#{element_id}"), "outerHTML")
