from django.db import migrations, models


class Migration(migrations.Migration):
    """Keep each application's postcode sector apart from its postcode, so anonymising
    the postcode leaves equity of reach by neighbourhood as it was."""

    dependencies = [("talent", "0004_mobility")]

    operations = [
        migrations.AddField(
            model_name="application",
            name="postcode_sector",
            field=models.CharField(blank=True, editable=False, max_length=8),
        ),
        migrations.RunSQL(
            "UPDATE talent_application SET postcode_sector = rtrim(left(postcode, "
            "length(postcode) - 2)) WHERE length(postcode) > 2",
            migrations.RunSQL.noop,
        ),
    ]
