"""Pure functions: the best practices for segments (DOMAIN.md) that the product can check.

They take plain values, not models, so they can be tested on hand-computed cases; the
wording of each warning lives in the templates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class WarningKind(StrEnum):
    TOO_SMALL = "too_small"
    STALE = "stale"
    NO_WILLINGNESS_TO_PAY = "no_willingness_to_pay"
    NOT_DISTINCT = "not_distinct"
    LIFECYCLE_GAP = "lifecycle_gap"


@dataclass(frozen=True)
class SegmentFacts:
    key: object
    estimated_size: int | None  # None: not known, so never "too small"
    stale: bool  # not reviewed for a long time
    willingness_to_pay: str  # "none" warns; "" (not known yet) does not
    links: frozenset = frozenset()  # the value propositions, channels and relationships it is linked to
    #: The lifecycle stages without a touchpoint in its relationship plan, once it has one.
    empty_stages: tuple = ()


@dataclass(frozen=True)
class SegmentWarning:
    kind: WarningKind
    segment: object
    look_alikes: tuple = ()  # NOT_DISTINCT: the other segments with exactly the same links
    stages: tuple = ()  # LIFECYCLE_GAP: the stages left empty


@dataclass
class Warnings:
    by_segment: dict[object, list[SegmentWarning]] = field(default_factory=dict)

    def of(self, key: object) -> list[SegmentWarning]:
        return self.by_segment.get(key, [])

    def __len__(self) -> int:
        return sum(len(found) for found in self.by_segment.values())


def segment_warnings(segments: Iterable[SegmentFacts], *, min_size: int) -> Warnings:
    """What each segment should be checked for, in the order of `WarningKind`.

    - too small: a known size below `min_size` (0 turns the check off);
    - stale: not reviewed lately;
    - no willingness to pay;
    - not distinct: linked to exactly the same (non-empty) set of notes as another segment;
    - lifecycle gap: its relationship plan has touchpoints, but not at every stage.
    """
    segments = list(segments)
    alike: dict[frozenset, list[object]] = defaultdict(list)
    for facts in segments:
        if facts.links:
            alike[facts.links].append(facts.key)

    found = Warnings()
    for facts in segments:
        warnings = []
        if facts.estimated_size is not None and facts.estimated_size < min_size:
            warnings.append(SegmentWarning(WarningKind.TOO_SMALL, facts.key))
        if facts.stale:
            warnings.append(SegmentWarning(WarningKind.STALE, facts.key))
        if facts.willingness_to_pay == "none":
            warnings.append(SegmentWarning(WarningKind.NO_WILLINGNESS_TO_PAY, facts.key))
        others = tuple(key for key in alike.get(facts.links, []) if key != facts.key) if facts.links else ()
        if others:
            warnings.append(SegmentWarning(WarningKind.NOT_DISTINCT, facts.key, others))
        if facts.empty_stages:
            warnings.append(SegmentWarning(WarningKind.LIFECYCLE_GAP, facts.key, stages=tuple(facts.empty_stages)))
        if warnings:
            found.by_segment[facts.key] = warnings
    return found
