from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.account, name="account"),
    path("contributions/", views.contributions, name="contributions"),
]
