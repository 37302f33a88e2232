"""Segment pages, personas, note links and value-proposition fit (namespace "segments")."""

from django.urls import path

from .relationship import views as relationship
from .views import fit, links, pages

app_name = "segments"

# Every view here needs a row in tests/canvas_app/test_url_access.py.
urlpatterns = [
    path("canvases/<int:pk>/segments/", pages.segment_list, name="list"),
    path("canvases/<int:pk>/segments/legend/", links.segment_legend, name="legend"),
    path("canvases/<int:pk>/segments/<int:segment_id>/", pages.segment_detail, name="detail"),
    path("canvases/<int:pk>/notes/<int:note_id>/segments/", links.note_links, name="note_links"),
    path("canvases/<int:pk>/notes/<int:note_id>/segments/picker/", links.note_picker, name="note_picker"),
    path("canvases/<int:pk>/segments/<int:segment_id>/notes/", links.segment_notes, name="segment_notes"),
    path("canvases/<int:pk>/segments/<int:segment_id>/colour/", pages.segment_colour, name="colour"),
    # Personas, on the segment page
    path("canvases/<int:pk>/segments/<int:segment_id>/personas/", pages.persona_add, name="persona_add"),
    path(
        "canvases/<int:pk>/segments/<int:segment_id>/personas/<int:persona_id>/edit/",
        pages.persona_edit,
        name="persona_edit",
    ),
    path(
        "canvases/<int:pk>/segments/<int:segment_id>/personas/<int:persona_id>/delete/",
        pages.persona_delete,
        name="persona_delete",
    ),
    path(
        "canvases/<int:pk>/segments/<int:segment_id>/personas/<int:persona_id>/restore/",
        pages.persona_restore,
        name="persona_restore",
    ),
    # The relationship plan
    path("canvases/<int:pk>/segments/<int:segment_id>/relationship/", relationship.relationship, name="relationship"),
    path(
        "canvases/<int:pk>/segments/<int:segment_id>/relationship/items/",
        relationship.relationship_item_add,
        name="relationship_item_add",
    ),
    path(
        "canvases/<int:pk>/segments/<int:segment_id>/relationship/items/<int:item_id>/edit/",
        relationship.relationship_item_edit,
        name="relationship_item_edit",
    ),
    path(
        "canvases/<int:pk>/segments/<int:segment_id>/relationship/items/<int:item_id>/delete/",
        relationship.relationship_item_delete,
        name="relationship_item_delete",
    ),
    path(
        "canvases/<int:pk>/segments/<int:segment_id>/relationship/items/<int:item_id>/restore/",
        relationship.relationship_item_restore,
        name="relationship_item_restore",
    ),
    path(
        "canvases/<int:pk>/segments/<int:segment_id>/relationship/link/",
        relationship.relationship_link,
        name="relationship_link",
    ),
    # Value-proposition fit: the customer profile and the value map
    path("canvases/<int:pk>/segments/<int:segment_id>/fit/", fit.fit, name="fit"),
    path("canvases/<int:pk>/segments/<int:segment_id>/fit/profile/", fit.profile_item_add, name="profile_item_add"),
    path(
        "canvases/<int:pk>/segments/<int:segment_id>/fit/profile/<int:item_id>/edit/",
        fit.profile_item_edit,
        name="profile_item_edit",
    ),
    path(
        "canvases/<int:pk>/segments/<int:segment_id>/fit/profile/<int:item_id>/delete/",
        fit.profile_item_delete,
        name="profile_item_delete",
    ),
    path(
        "canvases/<int:pk>/segments/<int:segment_id>/fit/profile/<int:item_id>/restore/",
        fit.profile_item_restore,
        name="profile_item_restore",
    ),
    path("canvases/<int:pk>/segments/<int:segment_id>/fit/value/", fit.value_item_add, name="value_item_add"),
    path(
        "canvases/<int:pk>/segments/<int:segment_id>/fit/value/<int:item_id>/edit/",
        fit.value_item_edit,
        name="value_item_edit",
    ),
    path(
        "canvases/<int:pk>/segments/<int:segment_id>/fit/value/<int:item_id>/delete/",
        fit.value_item_delete,
        name="value_item_delete",
    ),
    path(
        "canvases/<int:pk>/segments/<int:segment_id>/fit/value/<int:item_id>/restore/",
        fit.value_item_restore,
        name="value_item_restore",
    ),
]
