"""The private iCal feed a volunteer's calendar app subscribes to, and its settings page."""
