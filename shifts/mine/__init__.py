"""A volunteer's own shifts: my shifts, open shifts, sign-up and release, swaps, the days they
cannot do."""
