from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partnerships"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from partnerships.uploads import forget_at_sign_out

        # A checked file waits for its uploader only while they are signed in.
        user_logged_out.connect(forget_at_sign_out, dispatch_uid="partnerships.uploads")
