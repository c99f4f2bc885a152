from django.urls import path

from s117 import views

urlpatterns = [
    path("", views.register, name="s117_register"),
    path("people/<str:reference>/", views.person, name="s117_person"),
]
