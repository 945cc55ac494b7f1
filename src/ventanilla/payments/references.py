"""Our payment reference (línea de captura): 20 characters, 18 random + 2 check digits. Pure Python.

IMSS's own format is not public (../shared/domain/imss-abroad.md, "Identifiers: Payment reference"), so we
design ours as that note asks: fixed length, only digits and capital letters that cannot be confused, two
check characters by ISO 7064 MOD 97-10 (the scheme of IBAN, ISO 13616), nothing personal encoded. Amount,
due date and owner live on the server, keyed by the code.

- Alphabet: 0-9 and A-Z without I, L and O, so "0" and "1" are never misread (33 symbols). The random
  part carries 18 × log2(33) ≈ 90.8 bits: guessing a live reference is hopeless and collisions are rare
  enough that a retry on the unique constraint settles them.
- Check digits: each character becomes its value as in IBAN (digits 0-9, letters A=10 … Z=35), but always
  written with two decimal digits ("07", "10" … "35"). n is the resulting number; check = 98 − (n × 100
  mod 97), written as two digits; a code is valid when (n × 100 + check) mod 97 = 1 (ISO 7064, MOD 97-10).
  IBAN writes digits with one decimal digit: then a digit ↔ letter substitution shifts the rest of the
  number and about 1 in 200 of them goes unnoticed. With a fixed width every single substitution
  (difference below 97) and every adjacent transposition (difference 99 × (a − b), 99 ≡ 2 mod 97) is caught,
  which the property tests in tests/payments/test_references.py check.

`new_reference_codes(n)` is the same format drawn n at a time with NumPy, for the monthly job (a million
codes one by one cost about 8 % of it); a test holds its check digits equal to `check_digits`.
"""

import re
import secrets

import numpy as np

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_LENGTH = 18
LENGTH = RANDOM_LENGTH + 2
_SPACE = len(ALPHABET) ** RANDOM_LENGTH
_VALUES = {char: f"{int(char, 36):02d}" for char in ALPHABET}
_TWO_DIGITS = str.maketrans(_VALUES)  # str.translate writes each symbol's two digits in one C call
_SHAPE = re.compile(f"[{ALPHABET}]{{{RANDOM_LENGTH}}}[0-9]{{2}}")
# What people type for a symbol we never print (O for zero, I or L for one), and separators of the print form.
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1", " ": None, "-": None, "\t": None})


def check_digits(body: str) -> str:
    """The two MOD 97-10 check digits for an 18-character body (characters of ALPHABET)."""
    number = int(body.translate(_TWO_DIGITS))
    return f"{98 - (number * 100) % 97:02d}"


def new_reference_code(rng=secrets) -> str:
    """A fresh random code. `rng` is the `secrets` module, or anything with `randbelow` or `randrange`."""
    draw = getattr(rng, "randbelow", None) or rng.randrange
    value = draw(_SPACE)
    chars = []
    for _ in range(RANDOM_LENGTH):
        value, index = divmod(value, len(ALPHABET))
        chars.append(ALPHABET[index])
    body = "".join(chars)
    return body + check_digits(body)


_ASCII = np.frombuffer(ALPHABET.encode(), dtype=np.uint8)
_VALUE = np.array([int(char, 36) for char in ALPHABET], dtype=np.int64)
_UNBIASED = 256 - 256 % len(ALPHABET)  # bytes at or above it are dropped, so every symbol is equally likely


def new_reference_codes(count: int, token_bytes=secrets.token_bytes) -> list[str]:
    """`count` fresh random codes at once (NumPy), from the operating system's CSPRNG like `secrets`."""
    if count <= 0:
        return []
    needed = count * RANDOM_LENGTH
    symbols = np.empty(0, dtype=np.uint8)
    while symbols.size < needed:  # rejection sampling: about 3 % of the bytes are redrawn
        drawn = np.frombuffer(token_bytes(needed - symbols.size + needed // 16 + 16), dtype=np.uint8)
        symbols = np.concatenate([symbols, drawn[drawn < _UNBIASED] % len(ALPHABET)])
    indexes = symbols[:needed].reshape(count, RANDOM_LENGTH)
    values = _VALUE[indexes]
    remainder = np.zeros(count, dtype=np.int64)
    for position in range(RANDOM_LENGTH):  # n mod 97, two decimal digits per character (check_digits)
        remainder = (remainder * 100 + values[:, position]) % 97
    check = 98 - (remainder * 100) % 97
    text = np.empty((count, LENGTH), dtype=np.uint8)
    text[:, :RANDOM_LENGTH] = _ASCII[indexes]
    text[:, RANDOM_LENGTH] = ord("0") + check // 10
    text[:, RANDOM_LENGTH + 1] = ord("0") + check % 10
    joined = text.tobytes().decode("ascii")
    return [joined[start:start + LENGTH] for start in range(0, len(joined), LENGTH)]


def is_valid_reference(code: str) -> bool:
    """True for a well-formed code whose check digits agree (exact form: 20 characters, no spaces)."""
    if not isinstance(code, str) or not _SHAPE.fullmatch(code):
        return False
    return int(code[:RANDOM_LENGTH].translate(_TWO_DIGITS) + code[RANDOM_LENGTH:]) % 97 == 1


def normalize_reference(raw: str) -> str:
    """The code as people type or copy it: upper case, without spaces or dashes, O read as 0 and I, L as 1."""
    return (raw or "").strip().upper().translate(_TYPED)


def format_reference(code: str) -> str:
    """Groups of four for print and reading aloud: "7K3M 9QXP 2D4H 8RTV 5W61"."""
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))
