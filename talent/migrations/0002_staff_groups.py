"""Reference data: the staff groups every vacancy is filed under (NHS Electronic Staff
Record groups, plus social care for the council and care providers)."""

from django.db import migrations

STAFF_GROUPS = [
    ("nursing-and-midwifery", "Nursing and midwifery"),
    ("allied-health-professionals", "Allied health professionals"),
    ("medical-and-dental", "Medical and dental"),
    ("healthcare-science", "Healthcare science"),
    ("additional-clinical-services", "Additional clinical services (healthcare support)"),
    ("additional-professional-scientific-and-technical", "Scientific, therapeutic and technical"),
    ("social-care", "Social care"),
    ("admin-and-clerical", "Administrative and clerical"),
    ("estates-and-facilities", "Estates and facilities"),
    ("students-and-apprentices", "Students and apprentices"),
]


def add_staff_groups(apps, schema_editor):
    StaffGroup = apps.get_model("talent", "StaffGroup")
    for position, (slug, name) in enumerate(STAFF_GROUPS):
        StaffGroup.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("talent", "0001_initial")]

    operations = [migrations.RunPython(add_staff_groups, migrations.RunPython.noop)]
