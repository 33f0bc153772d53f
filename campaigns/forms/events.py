"""Forms for campaign events: staff add, change and cancel events and mark attendance; a
resident signs up on the public page. They clean input and say what is wrong in plain
words; `campaigns.services.events` decides the rest (times, places, waiting list).

Dates and times are typed as the UK reads them, in London time."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns.models import Event
from campaigns.services.events import (
    ABSENT,
    ATTENDED,
    COMPLETED,
    MAX_CANCEL_REASON,
    MAX_CAPACITY,
)
from campaigns.services.residents import CONSENT_WORDING
from hub.forms import DATE_INPUT_FORMATS, date_field
from talent.forms.interviews import time_field
from talent.services.interviews import london_datetime
from talent.services.vacancies import normalise_postcode

# Which form field shows a service error about an event's field.
EVENT_ERROR_FIELDS = {"starts_at": "starts_on", "ends_at": "end_time", "online_url": "venue_name"}


def _text(label, *, max_length, required=True, required_message="", help_text="", **kwargs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        error_messages={
            "required": required_message,
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
        **kwargs,
    )


class EventForm(forms.Form):
    """An event's details. A one-day event needs its date, start and end times; an event
    over several days (an employability course) also its last day."""

    kind = forms.ChoiceField(
        label="Type of event",
        choices=Event.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the type of event",
            "invalid_choice": "Choose the type of event",
        },
    )
    title = _text(
        "Title",
        max_length=150,
        required_message="Enter the event's title",
        help_text="For example, Careers in care: drop-in at Armley One Stop Centre.",
    )
    description = _text(
        "Description",
        max_length=4000,
        required=False,
        help_text="Shown on the public page: who it is for, what happens, what to bring.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    starts_on = date_field("Date")
    start_time = time_field("Start time", example="10:00")
    end_time = time_field("End time", example="12:30")
    ends_on = forms.DateField(
        label="Last day, for an event over several days",
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        help_text="For a course that runs over several weeks. Leave empty for a one-day event.",
        widget=forms.DateInput(
            attrs={"type": "date", "class": "nhsuk-input--width-10"}, format="%Y-%m-%d"
        ),
        error_messages={"invalid": "Enter a real last day, like 27/03/2026"},
    )
    venue_name = _text(
        "Venue",
        max_length=150,
        required=False,
        help_text="For example, Armley One Stop Centre. Leave empty for an online event.",
    )
    address = _text(
        "Address of the venue",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    postcode = _text(
        "Postcode of the venue",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10", "autocomplete": "off"}),
    )
    online_url = forms.URLField(
        label="Online joining link",
        required=False,
        assume_scheme="https",
        help_text="For a webinar: the Microsoft Teams, Zoom or other meeting link.",
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
        error_messages={
            "invalid": "Enter the joining link as a web address, like https://teams.microsoft.com/…"
        },
    )
    capacity = forms.IntegerField(
        label="Number of places",
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text="When every place is taken, people who sign up join a waiting list.",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Enter the number of places as a whole number, like 20",
            "min_value": "The number of places must be 1 or more",
            "max_value": f"The number of places must be {MAX_CAPACITY} or fewer",
        },
    )

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
        return {
            "kind": event.kind,
            "title": event.title,
            "description": event.description,
            "starts_on": starts.date(),
            "start_time": starts.time(),
            "end_time": ends.time(),
            "ends_on": ends.date() if ends.date() != starts.date() else None,
            "venue_name": event.venue_name,
            "address": event.address,
            "postcode": event.postcode,
            "online_url": event.online_url,
            "capacity": event.capacity,
        }

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"]
        if not postcode.strip():
            return ""
        try:
            return normalise_postcode(postcode)[0]
        except ValidationError:
            raise forms.ValidationError(
                "Enter a real postcode, like LS12 3AB, or leave it empty"
            ) from None

    def clean(self):
        cleaned = super().clean()
        day, start, end = (cleaned.get(k) for k in ("starts_on", "start_time", "end_time"))
        if day and start and end:
            cleaned["starts_at"] = london_datetime(day, start)
            cleaned["ends_at"] = london_datetime(cleaned.get("ends_on") or day, end)
        return cleaned

    def event_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "description": data["description"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "venue_name": data["venue_name"],
            "address": data["address"],
            "postcode": data["postcode"],
            "online_url": data["online_url"],
            "capacity": data["capacity"],
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's errors on the fields they are about."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            field = EVENT_ERROR_FIELDS.get(field, field)
            self.add_error(field if field in self.fields else None, errors)


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label="Why is the event cancelled?",
        max_length=MAX_CANCEL_REASON,
        help_text="Everyone booked or on the waiting list is emailed this reason.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why the event is cancelled",
            "max_length": f"The reason must be {MAX_CANCEL_REASON} characters or fewer",
        },
    )


class AttendanceForm(forms.Form):
    """One choice per person booked: attended or not (and, for an employability course,
    attended and completed it). A person left unmarked keeps what they had."""

    def __init__(self, *args, bookings, is_course: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(ATTENDED, "Attended"), (ABSENT, "Did not attend")]
        if is_course:
            choices.insert(1, (COMPLETED, "Attended and completed the course"))
        for booking in bookings:
            initial = ""
            if booking.attended is not None:
                initial = (
                    COMPLETED
                    if booking.completed_course
                    else ATTENDED
                    if booking.attended
                    else ABSENT
                )
            self.fields[self.field_name(booking)] = forms.ChoiceField(
                label=booking.resident.name,
                choices=choices,
                required=False,
                initial=initial,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": f"Choose whether {booking.resident.name} attended"
                },
            )
        self.bookings = list(bookings)

    @staticmethod
    def field_name(booking) -> str:
        return f"attendance-{booking.pk}"

    def marks(self) -> dict:
        """{booking id: mark} for the people marked."""
        return {
            booking.pk: self.cleaned_data[self.field_name(booking)]
            for booking in self.bookings
            if self.cleaned_data.get(self.field_name(booking))
        }

    def rows(self):
        """(booking, its bound field), for the page to lay out."""
        return [(booking, self[self.field_name(booking)]) for booking in self.bookings]


class SignUpForm(forms.Form):
    """Signing up for an event, with no account: who they are, how to reach them, and
    their agreement to be contacted (in the words recorded with it)."""

    name = _text(
        "Full name",
        max_length=150,
        required_message="Enter your full name",
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Email address",
        help_text="We send your booking here, with a link to cancel it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    phone = _text(
        "Phone number",
        max_length=30,
        required=False,
        help_text="In case the event changes at short notice.",
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "class": "nhsuk-input--width-20"}
        ),
    )
    postcode = _text(
        "Postcode",
        max_length=10,
        required=False,
        help_text="Where you live. It helps the partners know which neighbourhoods they reach.",
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "class": "nhsuk-input--width-10"}
        ),
    )
    consent = forms.BooleanField(
        label="I agree to be contacted",
        help_text=CONSENT_WORDING,
        error_messages={"required": "Tick the box to agree to be contacted about this event"},
    )

    def sign_up_fields(self) -> dict:
        return dict(self.cleaned_data)


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of event",
        choices=[("", "All events"), *Event.Kind.choices],
        required=False,
    )

    def kind_value(self) -> str:
        return self.cleaned_data.get("kind", "") if self.is_valid() else ""
