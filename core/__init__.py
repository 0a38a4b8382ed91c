"""Shared plumbing every feature imports: database session, access rules, audit, text."""
