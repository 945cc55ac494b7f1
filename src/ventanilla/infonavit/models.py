"""Infonavit credits and their ledger."""
