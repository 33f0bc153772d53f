"""The filter of the campaigns compared side by side."""

from django import forms


class CompareFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Year",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Campaigns running at any time in that year.",
        error_messages={"invalid_choice": "Choose a year from the list"},
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Every year"), *[(year, str(year)) for year in years]]

    def chosen_year(self) -> int | None:
        """The year chosen, or None for every year (and for a year not in the list)."""
        return self.cleaned_data["year"] if self.is_valid() else None
