"""Plan pages: /plan/ starts the builder, one page per part, then the summary, print view and PDF."""

from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("", views.start, name="start"),
    path("summary/", views.summary, name="summary"),
    path("print/", views.print_view, name="print"),
    path("download/", views.download, name="download"),
    path("delete/", views.delete, name="delete"),
    path("<slug:key>/", views.part, name="part"),
]
