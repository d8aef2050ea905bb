"""The picture fields of the admin's step and package forms: upload, alt text, decorative, remove."""

from django import forms
from django.utils.html import format_html

from lessons.models import Picture
from lessons.pictures import MAX_UPLOAD_BYTES, PictureError, prepare_picture

ACCEPT = "image/png,image/jpeg,image/webp"


def picture_upload_field() -> forms.FileField:
    return forms.FileField(
        label="Upload a picture",
        required=False,
        help_text=f"PNG, JPEG or WebP, up to {MAX_UPLOAD_BYTES // 1024 // 1024} MB. It is saved at most 1600 "
        "pixels wide, without its metadata (such as where a photo was taken). Uploading replaces the picture.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class PictureFormMixin:
    """For a ModelForm whose model has a picture (`picture_field`) with its alt text and decorative flag:
    re-encodes an upload (with a clear error for each kind of file refused) and requires alt text unless the
    picture is decorative."""

    picture_field = "picture"
    alt_field = "picture_alt"
    decorative_field = "picture_decorative"

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("picture_upload")
        if upload:
            data = upload.read(MAX_UPLOAD_BYTES + 1)
            try:
                prepare_picture(data)  # checked now; stored only when the form is saved
                self.uploaded_data = data
            except PictureError as error:
                self.add_error("picture_upload", str(error))
                return cleaned
        removing = cleaned.get("picture_remove") and not upload
        has_picture = bool(upload) or (getattr(self.instance, f"{self.picture_field}_id") and not removing)
        if has_picture and not cleaned.get(self.decorative_field) and not cleaned.get(self.alt_field):
            self.add_error(
                self.alt_field,
                "Describe the picture for students who cannot see it, or tick 'decorative' if the page says "
                "everything without it.",
            )
        return cleaned

    def save(self, commit=True):
        if getattr(self, "uploaded_data", None) is not None:
            setattr(self.instance, self.picture_field, Picture.from_upload(self.uploaded_data))
        elif self.cleaned_data.get("picture_remove"):
            setattr(self.instance, self.picture_field, None)
            setattr(self.instance, self.alt_field, "")
            setattr(self.instance, self.decorative_field, False)
        return super().save(commit=commit)


def picture_preview(picture: Picture | None, alt: str) -> str:
    """The current picture, small, for the admin's read-only field."""
    if picture is None:
        return "No picture"
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" class="picture-preview"><br>{} × {} pixels',
        picture.small_url,
        320,
        round(picture.small_height * 320 / picture.small_width),
        alt,
        picture.width,
        picture.height,
    )
