from django import forms
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

PARLEY_FIELDS = ["display_name", "job_title", "department"]


class ParleyFieldsMixin(forms.ModelForm):
    display_name = forms.CharField(
        max_length=60, label="Display name", help_text="Shown publicly next to what they post."
    )
    job_title = forms.CharField(
        max_length=120, required=False, help_text="Shown beside official answers."
    )
    department = forms.CharField(
        max_length=120, required=False, help_text="Shown beside official answers."
    )


class ParleyUserCreationForm(ParleyFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(PARLEY_FIELDS)


class ParleyUserEditForm(ParleyFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(PARLEY_FIELDS)


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return ParleyUserEditForm if for_update else ParleyUserCreationForm
