"""Demo Shire's users: one or more for every kind of person who uses the service, each with
what they see and, for the ones worth signing in as, what to try."""

from __future__ import annotations

from dataclasses import dataclass

from iom.models import Role


@dataclass(frozen=True)
class UserSpec:
    username: str
    first_name: str
    last_name: str
    agency: str
    team: str | None
    role: Role
    job_title: str
    sees: str
    tries: str = ""  # printed in the logins table; empty: listed on the "also" line


_WHOLE_COHORT = "the whole cohort (IOM unit)"
_SHARED_WITH_AGENCY = "people shared with their team, as their agreement covers"
_OFFICER, _MANAGER, _PARTNER = Role.IOM_OFFICER, Role.MANAGER, Role.PARTNER_WORKER
_POLICE_OM = "Police offender manager"
_PO, _PSO = "Probation officer", "Probation services officer"

USERS = (
    # Police side of the IOM unit.
    UserSpec(
        "officer.police",
        "Rachel",
        "Okonedo-Hart",
        "police",
        "police_iom",
        _OFFICER,
        _POLICE_OM,
        _WHOLE_COHORT,
        "My work (overdue reviews and actions), a person's record, refer someone to the panel",
    ),
    UserSpec(
        "officer.police2",
        "Tom",
        "Ashdown",
        "police",
        "police_iom",
        _OFFICER,
        _POLICE_OM,
        _WHOLE_COHORT,
    ),
    UserSpec(
        "officer.police3",
        "Priya",
        "Lakhani",
        "police",
        "police_iom",
        _OFFICER,
        _POLICE_OM,
        _WHOLE_COHORT,
    ),
    UserSpec(
        "intel.officer",
        "Gareth",
        "Pennock",
        "police",
        "police_iom",
        _OFFICER,
        "IOM intelligence co-ordinator",
        _WHOLE_COHORT,
        "Last night's ranking: the Red people, emerging threats, a person's risk history",
    ),
    UserSpec(
        "manager.police",
        "Helen",
        "Dunmore",
        "police",
        "police_iom",
        _MANAGER,
        "Detective Inspector, IOM",
        _WHOLE_COHORT,
        "The panel queue, the dashboard, last month's cohort report, sharing agreements",
    ),
    UserSpec(
        "neighbourhood.officer",
        "Sam",
        "Petrakis",
        "police",
        "city_npt",
        _OFFICER,
        "Neighbourhood police constable",
        "cases devolved to their neighbourhood team",
        "A neighbourhood team: sees only the cases devolved to it",
    ),
    UserSpec(
        "admin",
        "Alex",
        "Fairbrother",
        "police",
        None,
        Role.ADMINISTRATOR,
        "Systems administrator",
        "users and agencies only, no case records",
        "The admin (/admin/): agencies, teams, users, the cohort cap, unit costs, sharing "
        "agreements, locked accounts; no case record",
    ),
    # Probation side of the IOM unit.
    UserSpec(
        "officer.probation",
        "Joanne",
        "Whitlock",
        "nps",
        "nps_iom",
        _OFFICER,
        _PO,
        _WHOLE_COHORT,
        "Licences, breaches and recalls; members in custody and their release dates",
    ),
    UserSpec(
        "officer.probation2",
        "Daniel",
        "Osei-Brandt",
        "nps",
        "nps_iom",
        _OFFICER,
        _PO,
        _WHOLE_COHORT,
    ),
    UserSpec(
        "manager.probation",
        "Marcia",
        "Templeton",
        "nps",
        "nps_iom",
        _MANAGER,
        "Senior probation officer, IOM",
        _WHOLE_COHORT,
    ),
    UserSpec("officer.crc", "Colin", "Harrowby", "crc", "crc_iom", _OFFICER, _PSO, _WHOLE_COHORT),
    UserSpec("officer.crc2", "Nadia", "Kovalenko", "crc", "crc_iom", _OFFICER, _PSO, _WHOLE_COHORT),
    # Partner agencies.
    UserSpec(
        "yos.worker",
        "Leah",
        "Brightwell",
        "yos",
        "yos_transitions",
        _PARTNER,
        "Transitions worker",
        _SHARED_WITH_AGENCY,
    ),
    UserSpec(
        "prison.worker",
        "Martin",
        "Quayle",
        "prison",
        "prison_omu",
        _PARTNER,
        "Prison offender manager",
        _SHARED_WITH_AGENCY,
    ),
    UserSpec(
        "drugs.worker",
        "Shona",
        "McAllister",
        "drugs",
        "drugs_cjit",
        _PARTNER,
        "Criminal justice recovery worker",
        _SHARED_WITH_AGENCY,
        "A partner: the drugs pathway of the people shared with her, a few reviews overdue",
    ),
    UserSpec(
        "drugs.worker2",
        "Ifan",
        "Pryce",
        "drugs",
        "drugs_cjit",
        _PARTNER,
        "Drug intervention worker",
        _SHARED_WITH_AGENCY,
    ),
    UserSpec(
        "manager.drugs",
        "Carys",
        "Wedderburn",
        "drugs",
        "drugs_cjit",
        _MANAGER,
        "Service manager, criminal justice recovery (a partner manager: no cohort reports)",
        _SHARED_WITH_AGENCY,
        "A partner's manager: the team's caseload, but no cohort reports",
    ),
    UserSpec(
        "housing.worker",
        "Beth",
        "Tolland",
        "housing",
        "housing_tenancy",
        _PARTNER,
        "Tenancy sustainment officer",
        _SHARED_WITH_AGENCY,
    ),
    UserSpec(
        "council.worker",
        "Kwame",
        "Asante-Lowe",
        "council",
        "council_housing_options",
        _PARTNER,
        "Housing options officer",
        _SHARED_WITH_AGENCY,
    ),
    UserSpec(
        "health.worker",
        "Fiona",
        "Garside",
        "health",
        "health_liaison",
        _PARTNER,
        "Liaison and diversion nurse",
        _SHARED_WITH_AGENCY,
    ),
    UserSpec(
        "employment.worker",
        "Owen",
        "Marchbank",
        "employment",
        "employment_support",
        _PARTNER,
        "Employment adviser",
        "nothing: their agency's agreement has lapsed",
        "A lapsed sharing agreement: sees nobody",
    ),
)
