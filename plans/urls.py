"""Plan pages. Placeholder until the personal plan issue builds them."""

from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [path("", views.start, name="start")]
