from django.urls import path

from s117 import views

urlpatterns = [
    path("", views.register, name="s117_register"),
    path("upload/", views.upload, name="s117_upload"),
    path("upload/confirm/", views.confirm_upload, name="s117_upload_confirm"),
    path("history/", views.history, name="s117_history"),
    path("people/<str:reference>/", views.person, name="s117_person"),
    path("people/<str:reference>/history/", views.person_history, name="s117_person_history"),
]
