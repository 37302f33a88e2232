"""The example gallery (namespace "gallery"). Every view here needs a row in
tests/canvas_app/test_url_access.py."""

from django.urls import path

from . import views

app_name = "gallery"

urlpatterns = [
    path("examples/", views.gallery, name="list"),
    path("examples/<slug:slug>/use/", views.example_use, name="use"),
]
