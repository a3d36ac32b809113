"""Formats of the identifiers used in the field, with their validators.

Each validator accepts the normalised form (upper case, no surrounding spaces); forms call
``normalise_identifier`` first so that a user may type ``x123456`` for ``X123456``.
"""

from django.core.validators import RegexValidator

PNC_ID_PATTERN = r"^\d{4}/\d{7}[A-Z]$"
CRO_NUMBER_PATTERN = r"^(\d{1,6}/\d{2}|SF\d{2}/\d{1,6})[A-Z]$"
CRN_PATTERN = r"^[A-Z]\d{6}$"
PRISON_NUMBER_PATTERN = r"^[A-Z]\d{4}[A-Z]{2}$"

validate_pnc_id = RegexValidator(
    PNC_ID_PATTERN,
    "Enter a PNC ID as a 4-digit year, a slash, 7 digits and a check letter, like 2009/0123456A.",
)
validate_cro_number = RegexValidator(
    CRO_NUMBER_PATTERN,
    "Enter a CRO number like 123456/09X (serial, slash, 2-digit year, check letter) "
    "or SF09/12345X.",
)
validate_crn = RegexValidator(
    CRN_PATTERN, "Enter a probation case reference (CRN) as a letter and 6 digits, like X123456."
)
validate_prison_number = RegexValidator(
    PRISON_NUMBER_PATTERN,
    "Enter a prison number as a letter, 4 digits and 2 letters, like A1234BC.",
)


def normalise_identifier(value: str | None) -> str | None:
    """Upper-case and trim an identifier; an empty value becomes None (unset)."""
    if value is None:
        return None
    value = "".join(value.split()).upper()
    return value or None
