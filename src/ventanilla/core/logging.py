"""Personal data never reaches a log line unmasked.

Every LogRecord is masked when it is created (a record factory), so every handler, including test capture,
sees the masked text. Patterns: CURP, RFC, NSS (11 digits), CLABE (18 digits), e-mail addresses.
"""

import logging
import re

from ventanilla.core.middleware import current_request_id

_CURP = re.compile(r"\b[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{5}[0-9A-Z]\d\b", re.IGNORECASE)
_RFC = re.compile(r"\b[A-ZÑ&]{3,4}\d{6}[A-Z0-9]{3}\b", re.IGNORECASE)
_CLABE = re.compile(r"\b\d{18}\b")
_NSS = re.compile(r"\b\d{11}\b")
_EMAIL = re.compile(r"\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")


def mask_personal_data(text: str) -> str:
    text = _CURP.sub(lambda m: m.group(0)[:4] + "*" * 14, text)
    text = _RFC.sub(lambda m: m.group(0)[:3] + "*" * (len(m.group(0)) - 3), text)
    text = _CLABE.sub(lambda m: "*" * 14 + m.group(0)[-4:], text)
    text = _NSS.sub(lambda m: "*" * 7 + m.group(0)[-4:], text)
    return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)


_installed = False


def install_masking() -> None:
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is logged as it is, not lost
            return record
        record.msg, record.args = mask_personal_data(message), ()
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


class MaskingFormatter(logging.Formatter):
    """Masks the whole formatted line, so exception text and tracebacks are covered as well."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_personal_data(super().format(record))


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True
