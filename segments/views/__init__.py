"""Segment pages, one module per feature: the list and a segment's page with its personas,
the segments a note serves, and value-proposition fit."""
