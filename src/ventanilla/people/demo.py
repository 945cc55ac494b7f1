"""Deterministic, realistic demo persons: valid CURP, NSS and RFC built from Faker es_MX names.

Bulk-friendly: NumPy draws every random column at once; rows are plain tuples, written with COPY on
PostgreSQL and bulk_create on SQLite.
"""

import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta

import numpy as np
from faker.providers.person.es_MX import Provider as NameProvider
from stdnum.mx import curp as stdnum_curp
from stdnum.mx import rfc as stdnum_rfc

from ventanilla.core.identifiers import nss_check_digit

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


def curp_stem(first_names: str, last_name_1: str, last_name_2: str, birth: date, sex: str, state: str) -> str:
    """The 16 characters of a CURP that come from the person (before differentiator and check digit)."""
    given = _plain(first_names).split()
    if len(given) > 1 and given[0] in {"MARIA", "MA", "JOSE", "J"}:  # RENAPO skips these common first names
        given = given[1:]
    p1, p2, name = _surname(last_name_1), _surname(last_name_2), given[0]
    head = p1[0] + _first_inner(p1, True) + (p2[0] if p2 else "X") + name[0]
    if head in CURP_BLACKLIST:
        head = head[0] + "X" + head[2:]
    consonants = _first_inner(p1, False) + (_first_inner(p2, False) if p2 else "X") + _first_inner(name, False)
    return f"{head}{birth:%y%m%d}{sex}{state}{consonants}"


def _curp(stem: str, birth: date, bump: int) -> str:
    alphabet = "0123456789" if birth.year < 2000 else "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    body = stem + alphabet[bump % len(alphabet)]
    return body + stdnum_curp.calc_check_digit(body)


def generate_persons(count: int, seed: int, consulates: list[tuple[int, str, str, str, str]],
                     today: date = date(2026, 1, 1)) -> Iterator[tuple]:
    """Yield `count` person rows (PERSON_COLUMNS order). consulates: (id, code, country, region, city)."""
    rng = np.random.default_rng(seed)
    male, female = NameProvider.first_names_male, NameProvider.first_names_female
    surnames = NameProvider.last_names
    states = list(STATE_POPULATION)
    state_p = np.array(list(STATE_POPULATION.values()))
    weights = np.array([CONSULATE_WEIGHT.get(c[1], 1.0 if c[2] in {"US", "CA"} else 0.15) for c in consulates])

    is_male = rng.random(count) < 0.55
    first = rng.integers(0, 10_000, size=(count, 2))
    last = rng.integers(0, len(surnames), size=(count, 2))
    two_names = rng.random(count) < 0.3
    age_days = rng.integers(18 * 365, 70 * 365, size=count)
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

    seen_curp: set[str] = set()
    seen_nss: set[str] = set()
    homoclave_1, homoclave_2 = "123456789ABCDEFGHIJKLMNOPQRSTUV", "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for i in range(count):
        names = male if is_male[i] else female
        given = names[first[i, 0] % len(names)]
        if two_names[i]:
            given = f"{given} {names[first[i, 1] % len(names)]}"
        last_1, last_2 = surnames[last[i, 0]], surnames[last[i, 1]]
        birth = today - timedelta(days=int(age_days[i]))
        sex = "H" if is_male[i] else "M"
        state = states[state_idx[i]]
        stem = curp_stem(given, last_1, last_2, birth, sex, state)
        bump = 0
        curp = _curp(stem, birth, bump)
        while curp in seen_curp:
            bump += 1
            curp = _curp(stem, birth, bump)
        seen_curp.add(curp)

        nss = None
        if has_nss[i]:
            registered = min(birth.year + 18 + int(sequence[i]) % 10, today.year) % 100
            seq = int(sequence[i])
            while True:
                first_ten = f"{office[i]:02d}{registered:02d}{birth.year % 100:02d}{seq:04d}"
                if first_ten not in seen_nss:
                    break
                seq = (seq + 1) % 10_000
            seen_nss.add(first_ten)
            nss = first_ten + nss_check_digit(first_ten)
        rfc = ""
        if has_rfc[i]:
            twelve = curp[:10] + homoclave_1[homoclave[i, 0]] + homoclave_2[homoclave[i, 1]]
            rfc = twelve + stdnum_rfc.calc_check_digit(twelve)
        consulate = consulates[consulate_idx[i]]
        municipality, cp_prefix = STATE_CAPITAL[state]
        local = _plain(given.split()[0]).lower() + "." + _plain(last_1).lower().replace(" ", "")
        email = f"{local}{i}@{EMAIL_DOMAINS[email_kind[i] % len(EMAIL_DOMAINS)]}"
        country_code = "1" if consulate[2] in {"US", "CA"} else "52"
        yield (
            _plain(given), _plain(last_1), _plain(last_2), curp, nss, rfc, birth, sex, "MX",
            f"+{country_code}{phone[i]}", email, state, municipality, f"{cp_prefix}{postal_tail[i]:03d}",
            consulate[2], consulate[3], consulate[4], consulate[0],
        )
