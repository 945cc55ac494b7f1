"""Ages and birthdays for age limits (LSS beneficiaries and day care, Infonavit terms)."""

from datetime import date

# ASSUMED: someone born on 29 February turns a year older on 1 March in common years (the day after
# 28 February ends). No LSS text settles it; changing this to (2, 28) moves such birthdays one day earlier.
FEB29_BIRTHDAY_IN_COMMON_YEARS = (3, 1)


def birthday(birth_date: date, age: int) -> date:
    """The day a person born on `birth_date` turns `age`, with the 29 February rule above."""
    year = birth_date.year + age
    try:
        return birth_date.replace(year=year)
    except ValueError:  # 29 February in a common year
        return date(year, *FEB29_BIRTHDAY_IN_COMMON_YEARS)


def age_on(birth_date: date, on: date) -> int:
    """Completed years on `on` (0 before the first birthday; negative before birth is not allowed)."""
    if on < birth_date:
        raise ValueError("on is before birth_date")
    years = on.year - birth_date.year
    if birthday(birth_date, years) > on:
        years -= 1
    return years
