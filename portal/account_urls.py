from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.account, name="account"),
    path("contributions/", views.contributions, name="contributions"),
    path("your-data/", views.your_data, name="your_data"),
    path("delete/", views.delete_account, name="delete_account"),
    path("deleted/", views.account_deleted, name="account_deleted"),
]
