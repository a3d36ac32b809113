"""Stored-configuration defaults: which pathways an agency delivers, by the kind of agency. An
administrator changes them per agency in the admin site; these are only what a new agency
starts with (``services.configure_agencies``). What an agency sees of the pathways it does
not deliver is set by its information-sharing agreement."""

from iom.models import AgencyKind

from .models import PathwayKind

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
