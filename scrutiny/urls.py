from django.urls import path

from . import views

app_name = "scrutiny"

urlpatterns = [
    path("evidence/", views.triage, name="triage"),
    path("evidence/oral/", views.add_oral_evidence, name="oral"),
    path("evidence/<str:reference>/", views.evidence_detail, name="evidence_detail"),
    path("promote/", views.promote, name="promote"),
    path("promote/bulk/", views.promote_bulk, name="promote_bulk"),
    path("exports/<int:pk>/", views.export_status, name="export_status"),
    path("exports/<int:pk>/status.json", views.export_status_json, name="export_status_json"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
