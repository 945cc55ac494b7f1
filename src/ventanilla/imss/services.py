"""Writes of the IMSS affiliation abroad."""
