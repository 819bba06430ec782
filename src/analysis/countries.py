"""One validator for country codes: every command, notebook and function checks codes here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from analysis.errors import InputError, available


def check_codes(codes: Sequence[str] | str, known: Iterable[str], where: str = "the data") -> list[str]:
    """The codes upper-cased, stripped and without duplicates, after checking that ``known`` has each one.

    ``codes`` may be a comma-separated string (``"VNM,sgp"``). Raises :class:`InputError` naming
    the unknown codes and listing what ``where`` has.
    """
    items = codes.split(",") if isinstance(codes, str) else list(codes)
    cleaned = list(dict.fromkeys(str(c).strip().upper() for c in items if str(c).strip()))
    if not cleaned:
        raise InputError("Give at least one ISO 3166 alpha-3 country code, e.g. VNM,SGP.")
    known = set(known)
    unknown = [c for c in cleaned if c not in known]
    if unknown:
        raise InputError(
            f"Unknown country code(s) {', '.join(unknown)} in {where}: use ISO 3166 alpha-3 codes "
            f"(or aggregate codes such as WLD where the source has them). Available: {available(known)}."
        )
    return cleaned


def check_code(code: str, known: Iterable[str], where: str = "the data") -> str:
    """One code, checked as :func:`check_codes` does."""
    (checked,) = check_codes([code], known, where)
    return checked


# Southeast Asia as Resolution 57's "top three in Southeast Asia" reads it: the ten ASEAN members and
# Timor-Leste (ISO 3166 alpha-3), the eleven states of the region in the UN E-Government Survey.
SOUTHEAST_ASIA: tuple[str, ...] = (
    "BRN",  # Brunei Darussalam
    "KHM",  # Cambodia
    "IDN",  # Indonesia
    "LAO",  # Lao People's Democratic Republic
    "MYS",  # Malaysia
    "MMR",  # Myanmar
    "PHL",  # Philippines
    "SGP",  # Singapore
    "THA",  # Thailand
    "TLS",  # Timor-Leste
    "VNM",  # Viet Nam
)
