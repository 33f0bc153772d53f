"""How an application remembers the campaign that brought it: the shape of a campaign
code, and the session key a followed link or vacancy page keeps it under until the
candidate applies. Campaigns' tracking links use the same two."""

import re

CAMPAIGN_SESSION_KEY = "talent_campaign_code"
CAMPAIGN_CODE = re.compile(r"^[A-Za-z0-9-]{1,40}$")
