"""Demo Shire's organisations: its agencies, their teams and the agreements between them.

Everything is fictional. The IOM unit is co-located (police, NPS and CRC offender managers in
one office); partner agencies work with it through one team each.
"""

from __future__ import annotations

from dataclasses import dataclass

from iom.models import AgencyKind

# --- The organisations ---------------------------------------------------------------------


@dataclass(frozen=True)
class AgencySpec:
    key: str
    name: str
    kind: AgencyKind


@dataclass(frozen=True)
class TeamSpec:
    key: str
    agency: str
    name: str
    is_iom_unit: bool = False
    is_case_holding: bool = False
    is_neighbourhood: bool = False


AGENCIES = (
    AgencySpec("police", "Demo Shire Police", AgencyKind.POLICE),
    AgencySpec("nps", "National Probation Service – Demo Shire", AgencyKind.NPS),
    AgencySpec("crc", "Demo Shire Community Rehabilitation Company", AgencyKind.CRC),
    AgencySpec("yos", "Demo Shire Youth Offending Service", AgencyKind.YOUTH_OFFENDING),
    AgencySpec("prison", "HMP Demoford", AgencyKind.PRISON),
    AgencySpec("drugs", "Clearwater Recovery Demo Shire", AgencyKind.DRUG_ALCOHOL),
    AgencySpec("housing", "Brookvale Homes Housing Association", AgencyKind.HOUSING),
    AgencySpec("council", "Demo Shire County Council", AgencyKind.LOCAL_AUTHORITY),
    AgencySpec("health", "Demo Shire Health and Care NHS Trust", AgencyKind.HEALTH),
    AgencySpec("employment", "Fresh Ground Employment Trust", AgencyKind.OTHER),
)

TEAMS = (
    # The IOM unit is co-located: police, NPS and CRC offender managers in one office.
    TeamSpec("police_iom", "police", "IOM Unit", is_iom_unit=True, is_case_holding=True),
    TeamSpec("nps_iom", "nps", "NPS IOM Team", is_iom_unit=True, is_case_holding=True),
    TeamSpec("crc_iom", "crc", "CRC IOM Team", is_iom_unit=True, is_case_holding=True),
    # Receives low-risk cases devolved from the cohort; sees only what is shared with it.
    TeamSpec(
        "city_npt", "police", "Demoford City Neighbourhood Policing Team", is_neighbourhood=True
    ),
    TeamSpec("yos_transitions", "yos", "Youth to Adult Transitions"),
    TeamSpec("prison_omu", "prison", "Offender Management Unit"),
    TeamSpec("drugs_cjit", "drugs", "Criminal Justice Drug Team"),
    TeamSpec("housing_tenancy", "housing", "Tenancy Sustainment"),
    TeamSpec("council_housing_options", "council", "Housing Options"),
    TeamSpec("health_liaison", "health", "Liaison and Diversion"),
    TeamSpec("employment_support", "employment", "Employment Support"),
)


@dataclass(frozen=True)
class AgreementSpec:
    name: str
    parties: tuple[str, ...]
    purpose: str
    legal_basis: str
    # Days from today: start, review, end (None: open-ended).
    starts: int
    review: int
    ends: int | None
    sections: dict


_POLICE_BASIS = (
    "Data Protection Act 2018 Part 3 (law enforcement processing); Crime and Disorder Act "
    "1998 s.115."
)

AGREEMENTS = (
    AgreementSpec(
        "Demo Shire IOM force-wide information-sharing agreement",
        ("police", "nps", "crc", "yos", "prison"),
        "Joint management of the IOM cohort by the police, probation, youth offending and "
        "prison services: identification, risk ranking, supervision and enforcement.",
        _POLICE_BASIS,
        -700,
        120,
        None,
        {
            "offending": "arrests",
            "covers_intelligence": True,
            "covers_risk": True,
            "covers_controls": True,
            "covers_contacts": True,
            "pathways": "full",
            "covers_documents": True,
            "ends_with_membership": False,
        },
    ),
    AgreementSpec(
        "Demo Shire IOM partners' pathways agreement",
        ("drugs", "housing", "council", "health"),
        "Partner agencies deliver the reducing-reoffending pathways of IOM members and see "
        "their current risk band and the pathways they work on.",
        _POLICE_BASIS + " Partners: UK GDPR Article 6(1)(e) and Article 9(2)(g).",
        -540,
        60,
        None,
        {"covers_risk": True, "pathways": "summary", "ends_with_membership": True},
    ),
    AgreementSpec(
        "Fresh Ground employment pilot agreement",
        ("employment",),
        "A year's pilot of employment support for IOM members, not renewed.",
        _POLICE_BASIS + " Partner: UK GDPR Article 6(1)(e).",
        -400,
        -100,
        -35,
        {"pathways": "summary", "ends_with_membership": True},
    ),
)

# The IOM officers who are named offender managers of cases, by the agency that leads them.
OFFENDER_MANAGERS = {
    "police": ("officer.police", "officer.police2", "officer.police3"),
    "nps": ("officer.probation", "officer.probation2"),
    "crc": ("officer.crc", "officer.crc2"),
}
