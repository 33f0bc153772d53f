"""Forms for signing the framework, naming its lead and deputy, and withdrawing. They
clean what was typed and say plainly what is wrong; the services decide the rest."""

from django import forms

from portability.services.framework import MAX_REASON_LENGTH


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, membership):
        user = membership.user
        return f"{user.name} ({user.email})" if user.name else user.email


class ContactsForm(forms.Form):
    lead = _PersonChoice(
        queryset=None,
        label="Lead contact",
        help_text="Hears of every mobilisation and answers for your organisation.",
        empty_label="Choose a person",
        error_messages={
            "required": "Choose a lead contact",
            "invalid_choice": "Choose a lead from your organisation's members",
        },
    )
    deputy = _PersonChoice(
        queryset=None,
        label="Deputy contact",
        help_text="Hears of every mobilisation too, and acts when the lead is away.",
        empty_label="Choose a person",
        error_messages={
            "required": "Choose a deputy contact",
            "invalid_choice": "Choose a deputy from your organisation's members",
        },
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = members
        self.fields["deputy"].queryset = members

    def clean(self):
        cleaned = super().clean()
        lead, deputy = cleaned.get("lead"), cleaned.get("deputy")
        if lead and deputy and lead.user_id == deputy.user_id:
            self.add_error(
                "deputy",
                "Choose a different person as deputy: the lead and deputy cover each other",
            )
        return cleaned


class SignForm(ContactsForm):
    accept = forms.BooleanField(
        label="I accept the terms of this version of the framework for my organisation",
        error_messages={"required": "Confirm that you accept the terms for your organisation"},
    )

    field_order = ["lead", "deputy", "accept"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is your organisation withdrawing?",
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why your organisation is withdrawing",
            "max_length": f"The reason must be {MAX_REASON_LENGTH} characters or fewer",
        },
    )
    confirm = forms.BooleanField(
        label="I understand my organisation will no longer take part in mobilisations",
        error_messages={"required": "Confirm that your organisation is withdrawing"},
    )
