"""Every email talent sends, each a named function going through the outbox."""
