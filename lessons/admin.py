"""Admin for packages and class sessions (pilot leads only; the admin never shows a student's plan)."""

from django.contrib import admin

from lessons.models import ClassSession, Package, Step


class StepInline(admin.TabularInline):
    model = Step
    fields = ["position", "key", "kind", "title", "detour", "next_key"]
    extra = 0
    show_change_link = True


@admin.register(Package)
class PackageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "version", "loaded_at"]
    inlines = [StepInline]


@admin.register(ClassSession)
class ClassSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "teacher", "package", "created_at", "closes_at", "closed_at"]
    list_filter = ["package"]
