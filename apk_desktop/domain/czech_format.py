"""Czech formats for dates and amounts: parse what a user types, format what a user reads."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from apk_desktop.domain.errors import ValidationError

_DATE_RE = re.compile(r"^\s*(\d{1,2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{4})\s*$")
NBSP = "\u00a0"


def format_date(value: date | None) -> str:
    """``date(2023, 4, 1)`` → ``"01.04.2023"``; None → ``""``."""
    return value.strftime("%d.%m.%Y") if value else ""


def parse_date(text: str, field: str = "", *, required: bool = True) -> date | None:
    """Parse ``d.m.yyyy`` (spaces allowed) or ISO ``yyyy-mm-dd``."""
    text = text.strip()
    if not text:
        if required:
            raise ValidationError({field: "Zadejte datum."})
        return None
    match = _DATE_RE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            {field: f"„{text}“ není platné datum. Zadejte ho ve tvaru 31.12.2025."}
        ) from None


def format_money(value: Decimal) -> str:
    """``Decimal("13676292")`` → ``"13 676 292,00"`` (non-breaking space between thousands)."""
    sign = "-" if value < 0 else ""
    whole, frac = f"{abs(value):.2f}".split(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{NBSP.join(groups)},{frac}"


def parse_money(text: str, field: str = "") -> Decimal:
    """Parse ``"13 676 292,00"``, ``"13676292.5"`` or ``"1 000 Kč"``; must be ≥ 0."""
    cleaned = text.replace(NBSP, "").replace(" ", "").replace("Kč", "").strip()
    if not cleaned:
        raise ValidationError({field: "Zadejte částku."})
    if re.fullmatch(r"[-\u2212]\d+([.,]\d{1,2})?", cleaned):  # also the typographic minus
        raise ValidationError({field: "Částka nesmí být záporná."})
    if re.fullmatch(r"\d+([.,]\d{1,2})?", cleaned) is None:
        raise ValidationError(
            {field: f"„{text.strip()}“ není platná částka. Zadejte ji ve tvaru 13 676 292,00."}
        )
    try:
        amount = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the regex above rules this out
        raise ValidationError({field: "Neplatná částka."}) from None
    return amount.quantize(Decimal("0.01"))


def parse_hours(text: str, field: str, *, required: bool = False) -> Decimal | None:
    """``"1,5"`` → Decimal("1.5"); empty → None (unless required). "NaN" and "Infinity" are
    Decimals too, but not hours."""
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        if required:
            raise ValidationError({field: "Zadejte počet hodin."})
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError({field: f"„{text.strip()}“ není číslo. Zadejte hodiny jako 1,5."})
    return value


def format_hours(value: Decimal | float) -> str:
    """``1.5`` → ``"1,5"``; whole numbers without decimals."""
    number = Decimal(str(value)).normalize()
    text = format(number, "f")
    return text.replace(".", ",")
