"""Admin for pilot leads: edit a draft package, preview it, publish it as a version, export and import files.

Published versions are read-only here: class sessions and feedback stay attached to what students saw.
The admin never shows anything about a student.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html

from lessons import services
from lessons.forms import BlockTextField
from lessons.models import (
    AlreadyHappenedStep,
    ChatMessage,
    ChoiceOption,
    ClassSession,
    ExampleLine,
    Fact,
    Package,
    PressureSign,
    Question,
    Step,
    Strategy,
    SupportService,
)
from lessons.package_export import package_file
from lessons.package_file import PackageFileError
from lessons.picture_forms import PictureFormMixin, picture_preview, picture_upload_field
from lessons.step_kinds import OPTIONS, STEP_KINDS


class DraftOnlyMixin:
    """Editing is allowed only while the package (or the package of this row) is a draft."""

    formfield_overrides = {models.TextField: {"form_class": BlockTextField}}

    @staticmethod
    def package_of(obj) -> Package | None:
        # Inline permissions are asked with the parent object: a Package, a Step or a Strategy.
        if obj is None or isinstance(obj, Package):
            return obj
        return obj.package

    def _editable(self, obj) -> bool:
        package = self.package_of(obj)
        return package is None or package.is_draft

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(obj)


class OrderedInline(DraftOnlyMixin, admin.TabularInline):
    extra = 0
    ordering = ["position"]
    # A web address typed without a scheme means https (as Django 6 will assume).
    formfield_overrides = {**DraftOnlyMixin.formfield_overrides, models.URLField: {"assume_scheme": "https"}}


class StepInline(OrderedInline):
    model = Step
    fields = ["position", "key", "kind", "title", "detour", "next_key"]
    show_change_link = True


class SupportServiceInline(OrderedInline):
    model = SupportService
    fields = ["position", "key", "name", "audience", "description", "phone", "url", "hours"]


class StrategyInline(OrderedInline):
    model = Strategy
    fields = ["position", "key", "title", "description"]
    show_change_link = True


class PressureSignInline(OrderedInline):
    model = PressureSign
    fields = ["position", "text"]


class AlreadyHappenedStepInline(OrderedInline):
    model = AlreadyHappenedStep
    fields = ["position", "title", "text"]


class QuestionInline(OrderedInline):
    model = Question
    fields = [
        "position",
        "key",
        "kind",
        "text",
        "low_label",
        "high_label",
        "choices",
        "answer",
        "in_checkin",
        "in_feedback",
        "needs_plan",
    ]


class ImportPackageForm(forms.Form):
    file = forms.FileField(
        label="Package file (.yaml or .zip)",
        help_text="A file exported from this or another Personal Plan server, or written by hand.",
    )


class PackageForm(PictureFormMixin, forms.ModelForm):
    picture_field = "start_picture"
    alt_field = "start_picture_alt"
    decorative_field = "start_picture_decorative"
    picture_upload = picture_upload_field()
    picture_remove = forms.BooleanField(label="Remove the start page's picture", required=False)

    class Meta:
        model = Package
        fields = [
            "title",
            "audience",
            "ground_rules",
            "teacher_notes",
            "start_picture_alt",
            "start_picture_decorative",
        ]


@admin.register(Package)
class PackageAdmin(DraftOnlyMixin, admin.ModelAdmin):
    form = PackageForm
    list_display = ["title", "slug", "version", "status", "published_at", "preview_link"]
    list_filter = ["slug"]
    fields = [
        "title",
        "audience",
        "ground_rules",
        "teacher_notes",
        "current_start_picture",
        "picture_upload",
        "start_picture_alt",
        "start_picture_decorative",
        "picture_remove",
        "slug",
        "version",
        "published_at",
        "digest",
    ]
    readonly_fields = ["current_start_picture", "slug", "version", "published_at", "digest"]

    @admin.display(description="Start page's picture now")
    def current_start_picture(self, package: Package) -> str:
        return picture_preview(package.start_picture, package.start_picture_alt)

    inlines = [
        StepInline,
        SupportServiceInline,
        StrategyInline,
        PressureSignInline,
        AlreadyHappenedStepInline,
        QuestionInline,
    ]
    actions = ["start_draft", "publish", "export_file"]

    def has_add_permission(self, request, obj=None):
        return False  # new versions start as drafts of a published one, or arrive as files (Import)

    @admin.display(description="Status")
    def status(self, package: Package) -> str:
        return "Draft" if package.is_draft else "Published"

    @admin.display(description="Preview")
    def preview_link(self, package: Package) -> str:
        return format_html(
            '<a href="{}">Preview as a student</a>', reverse("teach:preview", args=[package.pk])
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        package = self.get_object(request, object_id)
        if package is not None and package.is_draft and request.method == "GET":
            problems = services.package_problems(package)
            if problems:
                self.message_user(
                    request, f"This draft cannot be published yet: {problems}", messages.WARNING
                )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Start a new draft from the selected version")
    def start_draft(self, request, queryset):
        for package in queryset:
            draft = services.package_start_draft(source=package)
            self.message_user(request, f"Editing {draft}. Publish it when it is ready.", messages.SUCCESS)

    @admin.action(description="Publish the selected drafts as new versions")
    def publish(self, request, queryset):
        for package in queryset:
            if not package.is_draft:
                self.message_user(request, f"{package} is already published.", messages.WARNING)
                continue
            try:
                published = services.package_publish(package=package)
            except PackageFileError as error:
                self.message_user(request, f"Not published: {error}", messages.ERROR)
            else:
                self.message_user(request, f"Published {published}.", messages.SUCCESS)

    @admin.action(description="Download the selected version as a package file")
    def export_file(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose one version to download.", messages.WARNING)
            return None
        package = queryset.get()
        name, data, content_type = package_file(package)
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def get_urls(self):
        extra = [
            path("import/", self.admin_site.admin_view(self.import_view), name="lessons_package_import"),
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        if not self.has_view_permission(request) or not request.user.is_staff:
            return HttpResponseRedirect(reverse("admin:index"))
        form = ImportPackageForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = services.package_import(upload=form.cleaned_data["file"])
            except PackageFileError as error:
                form.add_error("file", str(error))
            else:
                verb = "Imported" if result.created else "Already here, nothing changed:"
                self.message_user(request, f"{verb} {result.package}.", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:lessons_package_changelist"))
        context = {**self.admin_site.each_context(request), "form": form, "title": "Import a package file"}
        return render(
            request, "admin/lessons/package/import.html", context, status=400 if form.errors else 200
        )


class StepForm(PictureFormMixin, forms.ModelForm):
    picture_upload = picture_upload_field()
    picture_remove = forms.BooleanField(label="Remove the picture", required=False)

    class Meta:
        model = Step
        fields = [
            "package",
            "position",
            "key",
            "kind",
            "title",
            "short_title",
            "body",
            "question",
            "share",
            "words",
            "picture_alt",
            "picture_decorative",
            "detour",
            "next_key",
            "teacher_notes",
        ]

    def clean(self):
        cleaned = super().clean()
        package = cleaned.get("package") or getattr(self.instance, "package", None)
        keys = set(package.steps.values_list("key", flat=True)) if package else set()
        keys.add(cleaned.get("key"))
        if cleaned.get("next_key") and cleaned["next_key"] not in keys:
            self.add_error(
                "next_key", f"There is no step with the key {cleaned['next_key']!r} in this package."
            )
        return cleaned


class ChoiceOptionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        step = self.instance
        live = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        kind = STEP_KINDS.get(step.kind)
        if kind is not None and kind.children is OPTIONS and len(live) < OPTIONS.minimum:
            raise ValidationError("A choice step needs at least two options.")
        keys = set(step.package.steps.values_list("key", flat=True))
        for form in live:
            target = form.cleaned_data.get("leads_to")
            if target and target not in keys:
                form.add_error("leads_to", f"There is no step with the key {target!r} in this package.")


class ChatMessageInline(OrderedInline):
    model = ChatMessage
    fields = ["position", "sender", "text", "outgoing", "status"]


class ChoiceOptionInline(OrderedInline):
    model = ChoiceOption
    formset = ChoiceOptionFormSet
    fields = ["position", "label", "feedback", "leads_to"]


class FactInline(OrderedInline):
    model = Fact
    fields = ["position", "myth", "fact"]


@admin.register(Step)
class StepAdmin(DraftOnlyMixin, admin.ModelAdmin):
    form = StepForm
    list_display = ["title", "package", "position", "kind", "key"]
    list_filter = ["package"]
    inlines = [ChatMessageInline, ChoiceOptionInline, FactInline]
    readonly_fields = ["current_picture"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "package",
                    "position",
                    "key",
                    "kind",
                    "title",
                    "short_title",
                    "body",
                    "question",
                    "share",
                    "words",
                    "detour",
                    "next_key",
                    "teacher_notes",
                ]
            },
        ),
        (
            "Picture",
            {
                "fields": [
                    "current_picture",
                    "picture_upload",
                    "picture_alt",
                    "picture_decorative",
                    "picture_remove",
                ]
            },
        ),
    ]

    @admin.display(description="Picture now")
    def current_picture(self, step: Step) -> str:
        return picture_preview(step.picture, step.picture_alt)

    def has_add_permission(self, request, obj=None):
        return False  # steps are added from their package's page

    def get_inlines(self, request, obj):
        """The inline of the rows the step's kind holds (a story's messages, ...), if it holds any."""
        children = STEP_KINDS[obj.kind].children if obj else None
        return [inline for inline in self.inlines if children and inline.model is children.model]


class ExampleLineInline(OrderedInline):
    model = ExampleLine
    fields = ["position", "text"]


@admin.register(Strategy)
class StrategyAdmin(DraftOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "package", "position"]
    list_filter = ["package"]
    inlines = [ExampleLineInline]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ClassSession)
class ClassSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "teacher", "package", "created_at", "closes_at", "closed_at"]
    list_filter = ["package"]
    # Kept by the app itself: the code and word students type, the places taken (counted by one conditional
    # UPDATE per device) and the live lesson's state. Editing them here could let in more students than the
    # places, or move a class's screens, so the admin shows them only.
    readonly_fields = [
        "join_code",
        "class_word",
        "students_joined",
        "created_at",
        "live_slide",
        "live_version",
        "pace",
        "paused",
    ]
