"""The form to upload a CSV of paper sign-up sheets. The service reads the file and
decides whether it can be imported."""

from django import forms

from campaigns.services.imports import MAX_BYTES, OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from hub.uploads import CSV_TYPES, validate_document


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file of the sign-up sheets",
        help_text=(
            "Smaller than 2 MB and up to 5,000 rows. The first row names the columns: "
            f"{', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": "Choose the CSV file to upload",
            "empty": "The file is empty",
            "invalid": "Choose the CSV file to upload",
        },
    )
    consent_wording = forms.CharField(
        label="The consent words printed on the sheets",
        max_length=2000,
        help_text="Type them exactly as printed. They are kept with the consent of every "
        "person who ticked yes.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the consent words printed on the sheets",
            "max_length": "The consent words must be 2000 characters or fewer",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_document(upload, allowed=CSV_TYPES, max_bytes=MAX_BYTES)
        return upload
