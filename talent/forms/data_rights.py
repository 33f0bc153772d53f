"""The form that confirms erasing an account: the person types the account's email
address, so nobody erases one by a slip of the finger."""

from django import forms


class AccountEraseForm(forms.Form):
    confirmation = forms.CharField(
        label="To confirm, type the email address of your account",
        max_length=254,
        error_messages={"required": "Enter the email address of your account to confirm"},
        widget=forms.EmailInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["confirmation"].help_text = f"Your account's email address is {user.email}"

    def clean_confirmation(self) -> str:
        typed = self.cleaned_data["confirmation"].strip()
        if typed.lower() != self.user.email.lower():
            raise forms.ValidationError(
                f"The email address does not match your account. Type {self.user.email} to confirm"
            )
        return typed
