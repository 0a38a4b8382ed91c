"""Which shifts exist: the ward's settings, the weekly pattern, closed days, one-off shifts, and
generating the coming weeks from the pattern (the secretary's planning pages)."""
