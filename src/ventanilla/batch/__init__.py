"""Polars jobs over the whole Infonavit portfolio: the monthly campaign of relief solutions."""
