"""Deterministic, realistic demo persons: valid CURP, NSS and RFC built from Faker es_MX names.

Bulk-friendly: NumPy draws every random column at once; rows are plain tuples, written with COPY on
PostgreSQL and bulk_create on SQLite.
"""

import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache
from operator import mul

import numpy as np
from faker.providers.person.es_MX import Provider as NameProvider
from stdnum.mx import curp as stdnum_curp

# INEGI Censo 2020 population, millions: states are drawn in proportion.
STATE_POPULATION = {
    "MC": 16.99, "DF": 9.21, "JC": 8.35, "VZ": 8.06, "PL": 6.58, "GT": 6.17, "NL": 5.78, "CS": 5.54,
    "MN": 4.75, "OC": 4.13, "BC": 3.77, "CH": 3.74, "GR": 3.54, "TS": 3.53, "CL": 3.15, "HG": 3.08,
    "SL": 3.03, "SR": 2.94, "SP": 2.82, "TC": 2.40, "QT": 2.37, "YN": 2.32, "MS": 1.97, "QR": 1.86,
    "DG": 1.83, "ZS": 1.62, "AS": 1.43, "TL": 1.34, "NT": 1.24, "CC": 0.93, "BS": 0.80, "CM": 0.73,
}
# Capital municipality and the first two digits of its postal codes (SEPOMEX ranges).
STATE_CAPITAL = {
    "AS": ("Aguascalientes", "20"), "BC": ("Mexicali", "21"), "BS": ("La Paz", "23"), "CC": ("Campeche", "24"),
    "CL": ("Saltillo", "25"), "CM": ("Colima", "28"), "CS": ("Tuxtla Gutiérrez", "29"), "CH": ("Chihuahua", "31"),
    "DF": ("Cuauhtémoc", "06"), "DG": ("Durango", "34"), "GT": ("León", "37"), "GR": ("Acapulco de Juárez", "39"),
    "HG": ("Pachuca de Soto", "42"), "JC": ("Guadalajara", "44"), "MC": ("Ecatepec de Morelos", "55"),
    "MN": ("Morelia", "58"), "MS": ("Cuernavaca", "62"), "NT": ("Tepic", "63"), "NL": ("Monterrey", "64"),
    "OC": ("Oaxaca de Juárez", "68"), "PL": ("Puebla", "72"), "QT": ("Querétaro", "76"), "QR": ("Benito Juárez", "77"),
    "SP": ("San Luis Potosí", "78"), "SL": ("Culiacán", "80"), "SR": ("Hermosillo", "83"), "TC": ("Centro", "86"),
    "TS": ("Reynosa", "88"), "TL": ("Tlaxcala", "90"), "VZ": ("Veracruz", "91"), "YN": ("Mérida", "97"),
    "ZS": ("Zacatecas", "98"),
}
# Where migrants are attended, heavier for the large US consulates (assumed demo weights).
CONSULATE_WEIGHT = {
    "US-LOS-ANGELES": 10, "US-CHICAGO": 8, "US-HOUSTON": 7, "US-DALLAS": 6, "US-NEW-YORK": 5,
    "US-SAN-ANTONIO": 4, "US-PHOENIX": 4, "US-SAN-DIEGO": 4, "US-SAN-BERNARDINO": 4, "US-SANTA-ANA": 4,
    "US-ATLANTA": 3, "US-DENVER": 3, "US-SACRAMENTO": 3, "US-SAN-JOSE": 3, "US-FRESNO": 3, "US-LAS-VEGAS": 3,
}
EMAIL_DOMAINS = ("gmail.com", "hotmail.com", "outlook.com", "yahoo.com.mx", "icloud.com")
VOWELS = set("AEIOU")
CURP_BLACKLIST = stdnum_curp._name_blacklist  # RENAPO's list of words a CURP may not spell
PERSON_COLUMNS = (
    "first_names", "last_name_1", "last_name_2", "curp", "nss", "rfc", "birth_date", "sex", "nationality",
    "phone", "email", "mx_state", "mx_municipality", "mx_postal_code", "abroad_country", "abroad_region",
    "abroad_city", "consulate_id",
)


@cache  # a few hundred distinct names: normalising each once instead of per row is most of the speed-up
def _plain(text: str) -> str:
    """Upper case, no accents; Ñ counts as X in a CURP (RENAPO instructivo)."""
    text = text.upper().replace("Ñ", "X")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


PARTICLES = {"DE", "LA", "LAS", "LOS", "DEL", "Y", "MC", "MAC", "VAN", "VON", "DA", "DI"}


def _surname(text: str) -> str:
    """A compound surname counts from its first word that is not a particle (DE LA CRUZ → CRUZ)."""
    words = [w for w in _plain(text).split() if w not in PARTICLES] or _plain(text).split()
    return "".join(words)


def _first_inner(word: str, vowels: bool) -> str:
    for char in word[1:]:
        if (char in VOWELS) == vowels and char.isalpha():
            return char
    return "X"


@cache
def _surname_letters(text: str) -> tuple[str, str, str]:
    """What a CURP takes from a surname: initial, first inner vowel, first inner consonant (X, X, X if none)."""
    word = _surname(text)
    return (word[0], _first_inner(word, True), _first_inner(word, False)) if word else ("X", "X", "X")


@cache
def _given_letters(first_names: str) -> tuple[str, str]:
    """What a CURP takes from the given names: initial and first inner consonant of the name that counts."""
    given = _plain(first_names).split()
    if len(given) > 1 and given[0] in {"MARIA", "MA", "JOSE", "J"}:  # RENAPO skips these common first names
        given = given[1:]
    return given[0][0], _first_inner(given[0], False)


def _stem(first_names: str, last_name_1: str, last_name_2: str, yymmdd: str, sex: str, state: str) -> str:
    p1, p2, name = _surname_letters(last_name_1), _surname_letters(last_name_2), _given_letters(first_names)
    head = p1[0] + p1[1] + p2[0] + name[0]
    if head in CURP_BLACKLIST:
        head = head[0] + "X" + head[2:]
    return head + yymmdd + sex + state + p1[2] + p2[2] + name[1]


def curp_stem(first_names: str, last_name_1: str, last_name_2: str, birth: date, sex: str, state: str) -> str:
    """The 16 characters of a CURP that come from the person (before differentiator and check digit)."""
    return _stem(first_names, last_name_1, last_name_2, f"{birth:%y%m%d}", sex, state)


# Check digits computed here rather than with stdnum's calc_check_digit (which looks every character up
# with str.index): same algorithms and alphabets, checked against stdnum by the validation tests.
_CHECK_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ"  # CURP and RFC; & stands where RENAPO puts Ñ
_CHECK_VALUE = {char: value for value, char in enumerate(_CHECK_ALPHABET)}
_CURP_WEIGHTS = range(18, 2, -1)  # positions 1-16 of the stem weigh 18..3; the differentiator weighs 2
_RFC_WEIGHTS = range(13, 1, -1)
_value_of = _CHECK_VALUE.__getitem__  # map() over C callables: about twice as fast as a generator here


def _curp_stem_sum(stem: str) -> int:
    return sum(map(mul, map(_value_of, stem), _CURP_WEIGHTS))


def _curp(stem: str, stem_sum: int, birth_year: int, bump: int) -> str:
    """Stem + differentiator (digit before 2000, letter from 2000) + check digit. stem_sum is
    _curp_stem_sum(stem), computed once per person however many differentiators are tried."""
    alphabet = "0123456789" if birth_year < 2000 else "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    differentiator = alphabet[bump % len(alphabet)]
    check = (10 - (stem_sum + _CHECK_VALUE[differentiator] * 2) % 10) % 10
    return f"{stem}{differentiator}{check}"


def _rfc_check_digit(twelve: str) -> str:
    """stdnum.mx.rfc.calc_check_digit for a 12-character personal RFC (no padding, no Ñ: built from a CURP)."""
    check = sum(map(mul, map(_value_of, twelve), _RFC_WEIGHTS))
    return _CHECK_ALPHABET[(11 - check) % 11]


# Luhn, counting from the left of an even-length number: the digits at odd positions are the doubled ones.
_DIGIT = {str(d): d for d in range(10)}
_DOUBLED_DIGIT = {str(d): (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)[d] for d in range(10)}  # digit sum of 2 × d


def _luhn_digit(digits: str) -> str:
    """The Luhn check digit (as stdnum.luhn.calc_check_digit) of an even-length string of digits."""
    total = sum(map(_DIGIT.__getitem__, digits[::2])) + sum(map(_DOUBLED_DIGIT.__getitem__, digits[1::2]))
    return str(-total % 10)


@cache
def _email_given(first_names: str) -> str:
    return _plain(first_names.split()[0]).lower()


@cache
def _email_surname(last_name: str) -> str:
    return _plain(last_name).lower().replace(" ", "")


MIN_AGE_DAYS, MAX_AGE_DAYS = 18 * 365, 70 * 365
CHUNK = 10_000  # rows converted from NumPy to Python objects at a time (NumPy scalars are slow per item)


def generate_persons(count: int, seed: int, consulates: list[tuple[int, str, str, str, str]],
                     today: date = date(2026, 1, 1)) -> Iterator[tuple]:
    """Yield `count` person rows (PERSON_COLUMNS order). consulates: (id, code, country, region, city)."""
    rng = np.random.default_rng(seed)
    male, female = NameProvider.first_names_male, NameProvider.first_names_female
    surnames = NameProvider.last_names
    states = list(STATE_POPULATION)
    state_p = np.array(list(STATE_POPULATION.values()))
    weights = np.array([CONSULATE_WEIGHT.get(c[1], 1.0 if c[2] in {"US", "CA"} else 0.15) for c in consulates])

    # Every column drawn up front, in this order: the rows for a seed depend on it.
    is_male = rng.random(count) < 0.55
    first = rng.integers(0, 10_000, size=(count, 2))
    last = rng.integers(0, len(surnames), size=(count, 2))
    two_names = rng.random(count) < 0.3
    age_days = rng.integers(MIN_AGE_DAYS, MAX_AGE_DAYS, size=count)
    state_idx = rng.choice(len(states), size=count, p=state_p / state_p.sum())
    consulate_idx = rng.choice(len(consulates), size=count, p=weights / weights.sum())
    has_nss = rng.random(count) < 0.85
    has_rfc = rng.random(count) < 0.6
    office = rng.integers(1, 99, size=count)
    sequence = rng.integers(0, 10_000, size=count)
    postal_tail = rng.integers(0, 1000, size=count)
    phone = rng.integers(2_000_000_000, 9_999_999_999, size=count)
    homoclave = rng.integers(0, 31, size=(count, 2))  # SAT homoclave: [1-9A-V][1-9A-Z]
    email_kind = rng.integers(0, len(EMAIL_DOMAINS) * 3, size=count)

    # Per-value work done once: birth dates (about 19,000 distinct), states, consulates.
    births = [today - timedelta(days=days) for days in range(MIN_AGE_DAYS, MAX_AGE_DAYS)]
    birth_yymmdd = [f"{birth:%y%m%d}" for birth in births]
    state_rows = [(state, *STATE_CAPITAL[state]) for state in states]
    consulate_rows = [(c[2], c[3], c[4], c[0], "+1" if c[2] in {"US", "CA"} else "+52") for c in consulates]
    domains = [EMAIL_DOMAINS[k % len(EMAIL_DOMAINS)] for k in range(len(EMAIL_DOMAINS) * 3)]

    seen_curp: set[str] = set()
    seen_nss: set[str] = set()
    homoclave_1, homoclave_2 = "123456789ABCDEFGHIJKLMNOPQRSTUV", "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for start in range(0, count, CHUNK):
        part = slice(start, start + CHUNK)
        columns = zip(
            is_male[part].tolist(), first[part].tolist(), last[part].tolist(), two_names[part].tolist(),
            (age_days[part] - MIN_AGE_DAYS).tolist(), state_idx[part].tolist(), consulate_idx[part].tolist(),
            has_nss[part].tolist(), has_rfc[part].tolist(), office[part].tolist(), sequence[part].tolist(),
            postal_tail[part].tolist(), phone[part].tolist(), homoclave[part].tolist(), email_kind[part].tolist(),
            strict=True,
        )
        for i, (man, (first_0, first_1), (last_0, last_1), two, day, state_i, consulate_i, with_nss, with_rfc,
                office_i, seq, postal, phone_i, (homo_1, homo_2), email_i) in enumerate(columns, start):
            names = male if man else female
            given = names[first_0 % len(names)]
            if two:
                given = f"{given} {names[first_1 % len(names)]}"
            surname_1, surname_2 = surnames[last_0], surnames[last_1]
            birth, yymmdd = births[day], birth_yymmdd[day]
            sex = "H" if man else "M"
            state, municipality, cp_prefix = state_rows[state_i]
            stem = _stem(given, surname_1, surname_2, yymmdd, sex, state)
            stem_sum = _curp_stem_sum(stem)
            bump = 0
            curp = _curp(stem, stem_sum, birth.year, bump)
            while curp in seen_curp:
                bump += 1
                curp = _curp(stem, stem_sum, birth.year, bump)
            seen_curp.add(curp)

            nss = None
            if with_nss:
                registered = min(birth.year + 18 + seq % 10, today.year) % 100
                prefix = f"{office_i:02d}{registered:02d}{yymmdd[:2]}"
                while True:
                    first_ten = f"{prefix}{seq:04d}"
                    if first_ten not in seen_nss:
                        break
                    seq = (seq + 1) % 10_000
                seen_nss.add(first_ten)
                nss = first_ten + _luhn_digit(first_ten)
            rfc = ""
            if with_rfc:
                twelve = curp[:10] + homoclave_1[homo_1] + homoclave_2[homo_2]
                rfc = twelve + _rfc_check_digit(twelve)
            country, region, city, consulate_id, phone_prefix = consulate_rows[consulate_i]
            email = f"{_email_given(given)}.{_email_surname(surname_1)}{i}@{domains[email_i]}"
            yield (
                _plain(given), _plain(surname_1), _plain(surname_2), curp, nss, rfc, birth, sex, "MX",
                f"{phone_prefix}{phone_i}", email, state, municipality, f"{cp_prefix}{postal:03d}",
                country, region, city, consulate_id,
            )
