"""The audit log is append-only in the database, whatever the code above it does.

A row trigger refuses every UPDATE and DELETE of hub_auditevent, except an UPDATE that
changes nothing but setting `actor_id` or `organisation_id` to NULL: that is what
deleting a user (erasure) or an organisation does through the foreign keys' SET NULL,
and the event stays, without the link. A statement trigger refuses TRUNCATE, also when
it cascades from hub_user or hub_organisation, unless the session has set
`hub.audit_log_truncate` to `allow`: the test suite does, to empty the database between
tests that commit. The database owner can still drop the triggers; the point is that no
bug, admin page or ORM call can change the log.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION hub_auditevent_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
            AND (NEW.organisation_id IS NULL OR NEW.organisation_id = OLD.organisation_id)
            AND to_jsonb(NEW) - 'actor_id' - 'organisation_id'
                = to_jsonb(OLD) - 'actor_id' - 'organisation_id'
        THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only: % of hub_auditevent refused', TG_OP
        USING HINT = 'Only deleting a user or an organisation may unlink its events.';
END;
$$;

CREATE FUNCTION hub_auditevent_refuse_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('hub.audit_log_truncate', true) = 'allow' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only: TRUNCATE of hub_auditevent refused';
END;
$$;

CREATE TRIGGER hub_auditevent_append_only
    BEFORE UPDATE OR DELETE ON hub_auditevent
    FOR EACH ROW EXECUTE FUNCTION hub_auditevent_refuse_change();

CREATE TRIGGER hub_auditevent_no_truncate
    BEFORE TRUNCATE ON hub_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION hub_auditevent_refuse_truncate();
"""

DROP = """
DROP TRIGGER hub_auditevent_no_truncate ON hub_auditevent;
DROP TRIGGER hub_auditevent_append_only ON hub_auditevent;
DROP FUNCTION hub_auditevent_refuse_truncate();
DROP FUNCTION hub_auditevent_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0003_report_export"),
    ]

    operations = [migrations.RunSQL(CREATE, reverse_sql=DROP)]
