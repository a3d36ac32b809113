"""Stored-configuration defaults: which pathways an agency delivers, by the kind of agency, and
what it sees of the others. An administrator changes them per agency in the admin site; these
are only what a new agency starts with (``services.configure_agencies``)."""

from iom.models import AgencyKind

from .models import InformationSharing, PathwayKind

P = PathwayKind

DELIVERED_BY_KIND: dict[str, tuple[str, ...]] = {
    AgencyKind.DRUG_ALCOHOL: (P.DRUGS_ALCOHOL,),
    AgencyKind.HOUSING: (P.ACCOMMODATION,),
    AgencyKind.LOCAL_AUTHORITY: (P.ACCOMMODATION, P.FINANCE, P.CHILDREN_FAMILIES),
    AgencyKind.HEALTH: (P.HEALTH,),
    AgencyKind.YOUTH_OFFENDING: (P.EDUCATION_EMPLOYMENT, P.CHILDREN_FAMILIES, P.ATTITUDES),
    AgencyKind.PRISON: (P.EDUCATION_EMPLOYMENT, P.FINANCE),
    AgencyKind.NPS: (P.ATTITUDES, P.VICTIMS),
    AgencyKind.CRC: (P.ATTITUDES, P.VICTIMS),
    AgencyKind.POLICE: (P.VICTIMS,),
    AgencyKind.OTHER: (),
}

# The agencies that may lead a case see whole plans; partners see summaries of the pathways
# they do not deliver until their agreement says otherwise.
SHARING_BY_KIND: dict[str, str] = {
    AgencyKind.POLICE: InformationSharing.FULL,
    AgencyKind.NPS: InformationSharing.FULL,
    AgencyKind.CRC: InformationSharing.FULL,
}
DEFAULT_SHARING = InformationSharing.SUMMARY
