"""Feedback pages. Placeholder until the feedback issue builds them."""

from django.urls import path

from feedback import views

app_name = "feedback"
urlpatterns = [path("", views.start, name="start")]
