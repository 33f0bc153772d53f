"""What other parts of the portal may hear of in an application's life, without talent
depending on them: campaigns attribute applications and hires through these."""

from django.dispatch import Signal

# Sent inside the transaction that submits the application; receivers write in it too.
# Arguments: application.
application_submitted = Signal()

# Sent inside the transaction that records (or changes) a hire's start date.
# Arguments: application, start_date.
application_hired = Signal()
