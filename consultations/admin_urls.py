from django.urls import path

from . import admin_views

app_name = "consultations_admin"

urlpatterns = [
    path("", admin_views.ConsultationsIndexView.as_view(), name="index"),
    path("<int:page_id>/responses/", admin_views.ResponsesView.as_view(), name="responses"),
    path(
        "<int:page_id>/responses/export.<str:fmt>",
        admin_views.export_responses,
        name="export",
    ),
    path("<int:page_id>/results/", admin_views.ResultsView.as_view(), name="results"),
    path("responses/<int:pk>/", admin_views.ResponseView.as_view(), name="response"),
]
