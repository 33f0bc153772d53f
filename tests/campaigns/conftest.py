"""Fixtures shared by the campaigns tests."""

from tests.campaigns.funnel_records import armley, campaign_one, spread, starters  # noqa: F401
