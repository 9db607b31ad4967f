"""Django's ModelBackend, loading the signed-in user with their organisation in one query: every signed-in page
shows the organisation in the navbar and decides scope by it (cases.selectors), which cost a second query on every
request (issue 13)."""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        try:
            user = get_user_model()._default_manager.select_related("organisation").get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
