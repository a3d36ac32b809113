"""What the demo's pathway plans say: how likely each need is, the aims, the actions and
their outcomes."""

from __future__ import annotations

from pathways.models import PathwayKind

P = PathwayKind

# The employment trust is of kind "other", which delivers nothing by default.
EXTRA_DELIVERY = {"employment": (P.EDUCATION_EMPLOYMENT, P.FINANCE)}

# How likely each need is, per pathway: (none, low, medium, high) weights.
NEED_WEIGHTS = {
    P.ACCOMMODATION: (25, 25, 25, 25),
    P.EDUCATION_EMPLOYMENT: (15, 30, 35, 20),
    P.HEALTH: (40, 30, 20, 10),
    P.DRUGS_ALCOHOL: (20, 20, 25, 35),
    P.FINANCE: (25, 30, 30, 15),
    P.CHILDREN_FAMILIES: (55, 20, 15, 10),
    P.ATTITUDES: (10, 30, 40, 20),
    P.VICTIMS: (45, 30, 15, 10),
}
NEEDS = ("none", "low", "medium", "high")

AIMS = {
    P.ACCOMMODATION: "Move from sofa-surfing to a settled tenancy and keep it.",
    P.EDUCATION_EMPLOYMENT: "Gain a CSCS card and a work placement leading to paid work.",
    P.HEALTH: "Register with a GP and attend the mental health assessment.",
    P.DRUGS_ALCOHOL: "Stabilise on a prescription and stay abstinent from Class A drugs.",
    P.FINANCE: "Make a claim for Universal Credit and agree a plan for rent arrears.",
    P.CHILDREN_FAMILIES: "Rebuild contact with his children through the family support worker.",
    P.ATTITUDES: "Complete the Thinking Skills Programme and apply it to triggers.",
    P.VICTIMS: "Consider restorative justice with the victim of the burglary, if they wish.",
}

ACTIONS = {
    P.ACCOMMODATION: ("Tenancy training course", "Housing application", "Rent arrears plan"),
    P.EDUCATION_EMPLOYMENT: ("Work placement", "CV workshop", "Job centre appointment"),
    P.HEALTH: ("GP registration", "Mental health assessment", "Counselling referral"),
    P.DRUGS_ALCOHOL: (
        "Treatment appointment with key worker",
        "Fast-track drug treatment referral",
        "Drug test",
        "Script review with the doctor",
    ),
    P.FINANCE: ("Debt advice appointment", "Benefit claim", "Bank account opened"),
    P.CHILDREN_FAMILIES: ("Family support meeting", "Contact centre visit"),
    P.ATTITUDES: ("Thinking Skills session", "Victim awareness session"),
    P.VICTIMS: ("Restorative justice assessment",),
}
OUTCOMES = ("Attended", "Attended and engaged well", "Did not attend; rebooked", "Completed")
REVIEW_NOTES = (
    "Progress reviewed with him at the home visit.",
    "Reviewed at the IOM case meeting with the partner agencies.",
    "Reviewed with the key worker; plan unchanged.",
)
