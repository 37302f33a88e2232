"""From the database to `scoring.fit_score`: which profile items the value map addresses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Exists, OuterRef

from .models import ProfileItem, Segment, ValueItem
from .scoring import Fit, ProfileEntry, fit_score


def profile_entries(items: Iterable[ProfileItem]) -> list[ProfileEntry]:
    """Items annotated with `addressed` (see `with_addressed`), or with `addressed_by` prefetched."""
    entries = []
    for item in items:
        addressed = getattr(item, "addressed", None)
        if addressed is None:
            addressed = bool(item.addressed_by.all())
        entries.append(ProfileEntry(key=item, kind=item.kind, importance=item.importance, addressed=addressed))
    return entries


def with_addressed(items):
    """ProfileItem queryset annotated with whether any live value-map item addresses each one."""
    links = ValueItem.addresses.through.objects.filter(
        profileitem_id=OuterRef("pk"), valueitem__deleted_at__isnull=True
    )
    return items.annotate(addressed=Exists(links))


def fits_of(segments: Iterable[Segment]) -> dict[int, Fit]:
    """The fit of each segment, by segment pk: one query whatever the number of segments."""
    segments = list(segments)
    by_segment: dict[int, list[ProfileItem]] = defaultdict(list)
    for item in with_addressed(ProfileItem.objects.filter(segment__in=segments)):
        by_segment[item.segment_id].append(item)
    return {segment.pk: fit_score(profile_entries(by_segment[segment.pk])) for segment in segments}
