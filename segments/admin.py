from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Persona, ProfileItem, Segment, ValueItem


class PersonaInline(admin.StackedInline):
    model = Persona
    extra = 0


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "canvas", "market_kind", "customer_type", "estimated_size", "reviewed_at"]
    list_filter = ["market_kind", "customer_type", "basis"]
    search_fields = ["note__text", "note__canvas__title"]
    list_select_related = ["note__canvas"]
    raw_id_fields = ["note"]
    filter_horizontal = ["linked_notes"]
    inlines = [PersonaInline]

    @admin.display(description=_("canvas"), ordering="note__canvas__title")
    def canvas(self, segment: Segment):
        return segment.note.canvas


@admin.register(ProfileItem)
class ProfileItemAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "importance", "segment"]
    list_filter = ["kind", "importance"]
    search_fields = ["text"]
    list_select_related = ["segment__note"]
    raw_id_fields = ["segment"]


@admin.register(ValueItem)
class ValueItemAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "segment"]
    list_filter = ["kind"]
    search_fields = ["text"]
    list_select_related = ["segment__note"]
    raw_id_fields = ["segment"]
    filter_horizontal = ["addresses", "notes"]
