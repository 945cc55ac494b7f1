"""Counts as Mexico writes them (6,200,000) on the job-runs screen."""

from django import template

register = template.Library()


@register.filter
def count(value) -> str:
    return f"{int(value):,}" if value is not None else ""
