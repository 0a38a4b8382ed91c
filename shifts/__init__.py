"""The Mon/Wed/Fri one-stop-desk rota: patterns, shifts, assignments, attendance, iCal."""
