from wagtail.users.apps import WagtailUsersAppConfig


class ParleyUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with Parley's display name, job title and department."""

    user_viewset = "portal.admin_users.UserViewSet"
