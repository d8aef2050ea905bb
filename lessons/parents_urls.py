"""Public pages for parents and carers."""

from django.urls import path

from lessons import parents

app_name = "parents"
urlpatterns = [
    path("", parents.parents, name="page"),
    path("handout.pdf", parents.handout, name="handout"),
]
