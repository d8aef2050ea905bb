"""Plan pages: /plan/ starts the builder, one page per part, then the summary, print view and PDF, and the
"finish and clear this computer" button and page."""

from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("", views.start, name="start"),
    path("summary/", views.summary, name="summary"),
    path("print/", views.print_view, name="print"),
    path("download/", views.download, name="download"),
    path("delete/", views.delete, name="delete"),
    path("finish/", views.finish, name="finish"),
    path("cleared/", views.cleared, name="cleared"),
    path("<slug:key>/", views.part, name="part"),
]
