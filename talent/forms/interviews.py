"""Forms for interviews and trial shifts: HR staff add times (one, or a day of them),
book a candidate in, move bookings off a time, and confirm or decline trial shifts; a
candidate chooses an interview time or asks for a trial shift. They clean input and say
what is wrong in plain words; the services decide the rest.

Dates and times are typed as the UK reads them, in London time."""

from django import forms
from django.utils import timezone

from hub.forms import date_field
from talent.forms.applying import clean_phone
from talent.ics import when_text
from talent.services.interviews import (
    MAX_CAPACITY,
    MAX_DECLINE_REASON,
    MAX_INTERVIEW_LENGTH,
    MAX_MESSAGE,
    MAX_SLOTS_AT_ONCE,
    MAX_TRIAL_SHIFT_LENGTH,
    london_datetime,
    series_times,
    slot_errors,
)

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M", "%I:%M%p", "%I.%M%p", "%I%p", "%I:%M %p", "%I %p"]
LENGTH_CHOICES = [(15, "15 minutes"), (20, "20 minutes"), (30, "30 minutes"),
                  (45, "45 minutes"), (60, "1 hour"), (90, "1 hour 30 minutes"),
                  (120, "2 hours")]  # fmt: skip

# Which form field shows a service error about a slot's field.
SLOT_ERROR_FIELDS = {"starts_at": "start_time", "ends_at": "end_time"}


def time_field(label, *, example="14:30", **kwargs) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=TIME_FORMATS,
        help_text=f"UK time, in 24 hours. For example, {example}.",
        widget=forms.TimeInput(
            attrs={"type": "time", "class": "nhsuk-input--width-5"}, format="%H:%M"
        ),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as hours and minutes, like {example}",
        },
        **kwargs,
    )


def capacity_field(label="Number of places", help_text="") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        initial=1,
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Enter the number of places as a whole number, like 1",
            "min_value": "The number of places must be 1 or more",
            "max_value": f"The number of places must be {MAX_CAPACITY} or fewer",
        },
    )


def location_field(*, required: bool, help_text: str) -> forms.CharField:
    return forms.CharField(
        label="Where",
        required=required,
        max_length=300,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Enter where it takes place",
            "max_length": "Where must be 300 characters or fewer",
        },
    )


def video_link_field() -> forms.URLField:
    return forms.URLField(
        label="Video link",
        required=False,
        assume_scheme="https",
        help_text="For a video interview: the Microsoft Teams, Zoom or other meeting link.",
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
        error_messages={
            "invalid": "Enter the video link as a web address, like https://teams.microsoft.com/…"
        },
    )


def notes_field(help_text: str) -> forms.CharField:
    return forms.CharField(
        label="Notes for the candidate",
        required=False,
        max_length=500,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Notes must be 500 characters or fewer"},
    )


def add_slot_errors(form: forms.Form, errors: dict) -> None:
    for field, message in errors.items():
        field = SLOT_ERROR_FIELDS.get(field, field)
        form.add_error(field if field in form.fields else None, message)


class _SlotForm(forms.Form):
    """One time: a date, a start and an end time (London), a place and a capacity."""

    max_length = MAX_INTERVIEW_LENGTH
    date = date_field()
    start_time = time_field("Start time", example="09:30")
    end_time = time_field("End time", example="10:15")

    def clean(self):
        cleaned = super().clean()
        day, start, end = (cleaned.get(k) for k in ("date", "start_time", "end_time"))
        if not (day and start and end) or self.errors:
            return cleaned
        cleaned["starts_at"] = london_datetime(day, start)
        cleaned["ends_at"] = london_datetime(day, end)
        add_slot_errors(
            self,
            slot_errors(
                starts_at=cleaned["starts_at"],
                ends_at=cleaned["ends_at"],
                location=cleaned.get("location", ""),
                video_link=cleaned.get("video_link", ""),
                capacity=cleaned.get("capacity"),
                max_length=self.max_length,
            ),
        )
        return cleaned

    def slot_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "location": data.get("location", ""),
            "capacity": data["capacity"],
            "notes": data.get("notes", ""),
        }


class InterviewSlotForm(_SlotForm):
    location = location_field(
        required=False,
        help_text="Building, room and address. Leave empty for a video interview.",
    )
    video_link = video_link_field()
    capacity = capacity_field(
        "Number of candidates", help_text="Usually 1; more for a group interview or assessment."
    )
    notes = notes_field("For example, what to bring or who they will meet.")

    def slot_fields(self) -> dict:
        return {**super().slot_fields(), "video_link": self.cleaned_data.get("video_link", "")}


class InterviewDayForm(forms.Form):
    """A day of interviews, one after another."""

    date = date_field()
    first_start = time_field("Start time of the first interview", example="09:30")
    count = forms.IntegerField(
        label="Number of interviews",
        min_value=1,
        max_value=MAX_SLOTS_AT_ONCE,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of interviews",
            "invalid": "Enter the number of interviews as a whole number, like 6",
            "min_value": "The number of interviews must be 1 or more",
            "max_value": f"The number of interviews must be {MAX_SLOTS_AT_ONCE} or fewer",
        },
    )
    minutes = forms.TypedChoiceField(
        label="Length of each interview",
        choices=LENGTH_CHOICES,
        coerce=int,
        initial=30,
        error_messages={"required": "Choose how long each interview lasts"},
    )
    gap_minutes = forms.IntegerField(
        label="Break between interviews, in minutes",
        initial=0,
        min_value=0,
        max_value=240,
        required=False,
        help_text="Time to write up notes. Enter 0 for none.",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the break as a whole number of minutes, like 15",
            "min_value": "The break must be 0 minutes or more",
            "max_value": "The break must be 240 minutes or fewer",
        },
    )
    location = location_field(
        required=False,
        help_text="Building, room and address. Leave empty for video interviews.",
    )
    video_link = video_link_field()
    capacity = capacity_field(
        "Candidates in each interview", help_text="Usually 1; more for group interviews."
    )
    notes = notes_field("For example, what to bring or who they will meet.")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        times = series_times(
            day=cleaned["date"],
            first_start=cleaned["first_start"],
            count=cleaned["count"],
            minutes=cleaned["minutes"],
            gap_minutes=cleaned.get("gap_minutes") or 0,
        )
        errors = slot_errors(
            starts_at=times[0][0],
            ends_at=times[0][1],
            location=cleaned.get("location", ""),
            video_link=cleaned.get("video_link", ""),
            capacity=cleaned.get("capacity"),
        )
        if "starts_at" in errors:
            self.add_error("first_start", "The first interview must start in the future")
            errors.pop("starts_at")
        errors.pop("ends_at", None)
        add_slot_errors(self, errors)
        last_end = timezone.localtime(times[-1][1])
        if not self.errors and last_end.date() != cleaned["date"]:
            self.add_error(
                "count", "The last interview must finish on the same day. Add fewer interviews."
            )
        cleaned["times"] = times
        return cleaned

    def series_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "day": data["date"],
            "first_start": data["first_start"],
            "count": data["count"],
            "minutes": data["minutes"],
            "gap_minutes": data.get("gap_minutes") or 0,
            "location": data.get("location", ""),
            "video_link": data.get("video_link", ""),
            "capacity": data["capacity"],
            "notes": data.get("notes", ""),
        }


class TrialShiftSlotForm(_SlotForm):
    max_length = MAX_TRIAL_SHIFT_LENGTH
    start_time = time_field("Start time", example="07:30")
    end_time = time_field("End time", example="15:00")
    location = location_field(
        required=True, help_text="Building, ward or team, and the address. Where to arrive."
    )
    capacity = capacity_field(
        "Number of people", help_text="How many candidates can try this shift together."
    )
    notes = notes_field("For example, what to wear, who to ask for, and whether lunch is provided.")


class SlotChoiceField(forms.ModelChoiceField):
    """Slots as radios, each labelled with its time and place."""

    def label_from_instance(self, slot):
        place = slot.location or "Video call"
        place = place.splitlines()[0] if place else ""
        return f"{when_text(slot.starts_at, slot.ends_at)} ({place})"


def _slot_choice(queryset_or_list, *, label: str, required_message: str) -> SlotChoiceField:
    return SlotChoiceField(
        queryset=queryset_or_list,
        label=label,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": required_message,
            "invalid_choice": "That time is no longer available. Choose another time.",
        },
    )


class InterviewChoiceForm(forms.Form):
    """Choose one of the vacancy's free interview times."""

    def __init__(self, *args, slots, label="Choose an interview time", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"] = _slot_choice(
            slots, label=label, required_message="Choose an interview time"
        )


class SlotDeleteForm(forms.Form):
    """Remove an interview time; its bookings, if any, move to another time first."""

    def __init__(self, *args, slots, needs_move: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_move:
            self.fields["move_to"] = _slot_choice(
                slots,
                label="Move the booked candidates to",
                required_message="Choose the time to move the booked candidates to",
            )


class CancelInterviewForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the candidate",
        required=False,
        max_length=500,
        help_text="Included in the email to the candidate.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The reason must be 500 characters or fewer"},
    )


class TrialShiftRequestForm(forms.Form):
    """Ask for one of a vacancy's trial shifts."""

    phone = forms.CharField(
        label="Phone number",
        max_length=30,
        help_text="So the team can reach you about the shift.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel", "spellcheck": "false"}),
        error_messages={"required": "Enter your phone number"},
    )
    message = forms.CharField(
        label="Anything you would like to ask or tell the team",
        required=False,
        max_length=MAX_MESSAGE,
        help_text="For example, about access needs or what you would like to see.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Your message must be {MAX_MESSAGE} characters or fewer"},
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"] = _slot_choice(
            slots,
            label="Choose a trial shift",
            required_message="Choose a trial shift",
        )
        self.order_fields(["slot", "phone", "message"])

    def clean_phone(self):
        phone = clean_phone(self.cleaned_data.get("phone", ""))
        if not phone:
            raise forms.ValidationError("Enter your phone number")
        return phone


class DeclineTrialShiftForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the candidate",
        max_length=MAX_DECLINE_REASON,
        help_text="Included in the email to the candidate. Be kind and clear.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter a reason for the candidate",
            "max_length": f"The reason must be {MAX_DECLINE_REASON} characters or fewer",
        },
    )


class TrialShiftFilterForm(forms.Form):
    """The status tab of the trial-shift requests list."""

    status = forms.CharField(required=False)

    def value(self, allowed) -> str:
        if not self.is_valid():
            return ""
        status = self.cleaned_data["status"]
        return status if status in allowed else ""
