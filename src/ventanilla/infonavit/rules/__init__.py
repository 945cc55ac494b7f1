"""Infonavit's arithmetic and eligibility as pure functions over plain values and a parameter snapshot:
no Django, no database, no clock (ARCHITECTURE.md, "Rules we keep")."""
