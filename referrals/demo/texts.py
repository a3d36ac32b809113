"""What the demo's referrals, panel decisions and meetings say. All of it is fictional."""

from __future__ import annotations

from cohorts.models import CohortStream, ExitReason

_S = CohortStream

_OPENINGS = {
    "police": (
        "{n} arrests since {since}, the latest on {recent} in {place}.",
        "Identified by the IOM intelligence review: {n} detected offences and {m} intelligence "
        "reports in the last six months.",
        "Charged on {recent} and bailed to an address in {place} with a curfew.",
        "Named by neighbourhood officers in {place} as the most active local offender.",
    ),
    "probation": (
        "Released from HMP Demoford on licence on {recent}; the licence ends on {later}.",
        "Subject to a 12-month community order with a rehabilitation activity requirement; "
        "breached twice since {since}.",
        "On a suspended sentence order made on {recent}; poor compliance with unpaid work.",
        "Assessed as highly likely to re-offend (OGRS3 {ogrs}%).",
    ),
    "prison": (
        "Due for release from HMP Demoford on {release} after a {months}-month sentence.",
        "Serving {months} months; automatic release on {release} to an address in {place}.",
    ),
    "yos": (
        "Moving from the Youth Offending Service to adult services; {n} convictions as a "
        "youth, mostly vehicle crime.",
        "Known to the Youth Offending Service since the age of 14; {n} convictions, and "
        "offending has increased since {he} turned 18.",
    ),
    "drugs": (
        "Open to the criminal justice drug team since {since}; tested positive for opiates "
        "and cocaine on arrest on {recent}.",
        "Says {he} spends £{amount} a day on heroin and crack cocaine, and pays for it by "
        "stealing.",
    ),
    "housing": (
        "{His} tenancy is at risk: rent arrears, and complaints of visitors at all hours "
        "since {since}.",
        "Evicted from supported housing on {recent} after stolen goods were found in {his} room.",
    ),
    "council": (
        "Presented as homeless on {recent}, the day after release from custody.",
        "Placed in emergency accommodation in {place} on {recent}; no settled address since "
        "{since}.",
    ),
    "health": (
        "Seen by liaison and diversion in custody on {recent}: unmet mental health needs and "
        "daily crack cocaine use.",
        "{n} custody episodes this year, each seen by liaison and diversion; not registered "
        "with a GP.",
    ),
    "employment": (
        "Joined the employment programme on {recent}; lost two placements through arrests.",
    ),
}
_OFFENDING = {
    _S.SAC: (
        "Linked to {m} dwelling burglaries in {place} since {since}, two of them by forensic "
        "identification.",
        "Charged with {m} thefts from motor vehicles in {place}; more vehicle crime "
        "intelligence since.",
        "Suspected of {m} street robberies of mobile phones in Demoford city centre; previous "
        "conviction for robbery.",
        "{m} detected shop thefts in six months, to pay for {his} Class A drug use.",
        "Overnight burglaries of businesses in {place}; arrested on {recent} with stolen "
        "power tools.",
        "Steals cars with keys taken in burglaries; {m} offences taken into consideration at "
        "court.",
    ),
    _S.PPO: (
        "Was on the PPO scheme: {n} convictions for burglary and theft in three years, and "
        "offending starts again within weeks of each release.",
        "Prolific and priority offender: {n} convictions since {year}, mostly burglary and "
        "vehicle crime.",
    ),
    _S.OCG: (
        "Intelligence links {him} to an organised crime group stealing high-value cars to "
        "order with relay devices.",
        "Believed to run a county lines supply of Class A drugs into {place}, using local "
        "teenagers.",
        "Mapped as a member of a group committing commercial burglaries across the county.",
    ),
    _S.DOMESTIC_ABUSE: (
        "{m} domestic abuse incidents against a former partner since {since}; heard at MARAC "
        "as high risk on {recent}.",
        "Convicted of assaulting a partner (ABH); breached a non-molestation order on {recent}.",
    ),
    _S.VIOLENCE: (
        "Convicted of wounding (section 20) in {year}; more assaults in the night-time economy "
        "since {since}.",
        "Robbery with a knife in {year}; alcohol misuse linked to {his} violent offending.",
        "Assaulted an emergency worker on {recent}; violent when using crack cocaine.",
    ),
}
_NEEDS = (
    "Uses heroin and crack cocaine daily.",
    "No fixed abode; sofa-surfing in {place}.",
    "Alcohol dependent.",
    "Two failed drug tests on licence; at risk of recall.",
    "Missed probation appointments on {recent}; a warning letter was issued.",
    "Owes money to a local dealer and is at risk of exploitation.",
    "Unemployed since {since}; no qualifications.",
    "Has a young child; children's services are involved.",
    "Debts, and no benefit claim in place since release.",
)
# Words that fit only people who have been in prison, or supervised by probation.
_AFTER_PRISON = ("licence", "release", "approved premises")
_ON_PROBATION = ("probation",)
_CLOSINGS = (
    "Would benefit from the IOM's intensive support.",
    "Asks for police and probation to manage {him} jointly.",
    "Referred for help with accommodation and drug treatment, and for closer monitoring.",
    "",
    "",
)
_SUPPORTING = (
    "OGRS3 {ogrs}%; OASys risk of serious harm to the public: {rosh}.",
    "PNC record checked on {recent}: {n} convictions for {offences} offences.",
    "{m} intelligence reports in the last six months.",
    "Licence conditions: residence at approved premises, curfew 19:00 to 07:00, drug testing.",
)
_ACCEPT_NOTES = (
    "Meets the Fixed cohort criteria.",
    "Police lead until release, then joint management with probation.",
    "Offender managers to make the first approach within two weeks.",
    "Drug service to offer a fast-track assessment.",
)
_REJECT_REASONS = (
    "Below the threshold for IOM: one detected offence in the last twelve months. The "
    "neighbourhood team will monitor.",
    "Already managed under MAPPA level 2; IOM management would duplicate it.",
    "Lives outside Demo Shire; passed to the IOM unit of the area where {he} lives.",
    "Serving a long sentence with no release before 2029: refer again six months before release.",
    "No evidence of current acquisitive offending: the intelligence is over a year old.",
    "The risk is of serious harm rather than of re-offending; the NPS manages it without IOM.",
    "Offending is linked to a mental health crisis; referred to liaison and diversion instead.",
)
_REJECT_AFTER_EXIT_REASONS = (
    "Left the cohort in {exited} with reduced risk and no offending since; the intelligence "
    "is not enough to bring {him} back. The neighbourhood team will monitor.",
    "One shop theft since leaving the cohort in {exited}; dealt with by a conditional "
    "caution. Not enough to return to IOM.",
)
_DEFER_REASONS = (
    "Awaiting the outcome of the court hearing on {court}.",
    "Release date not confirmed; bring back when the parole decision is known.",
    "Ask the drug service for an update on {his} engagement before deciding.",
    "Identity to be confirmed against the PNC record before the panel decides.",
    "More intelligence needed on the recent burglaries; bring back next month.",
    "Probation to complete the OASys review first.",
)
_DEFER_AT_CAP = (
    "The cohort is at its cap of {cap}; bring back once the cohort review has freed places."
)
_DEFER_LATER_REASONS = (
    "Sentencing at Demoford Crown Court on {court}; bring back once the sentence is known.",
    "Release date {release}: bring back to the panel before release.",
    "Residential rehabilitation placement until {court}; bring back when it ends.",
)
_OVERRIDE_REASONS = (
    "The cohort is at its cap of {cap}: accepted as an urgent case, released on {recent} with "
    "no accommodation and a high risk of re-offending.",
    "The cohort is at its cap of {cap}: accepted because {he} is linked to the current "
    "burglary series in {place}. A place will be freed at the cohort review.",
)
_EXIT_DETAILS = {
    ExitReason.RISK_REDUCED: (
        "No offending for twelve months; in full-time work.",
        "Completed drug treatment; in stable housing for a year.",
        "Licence ended with no further offending.",
        "",
    ),
    ExitReason.DEVOLVED: ("Devolved to the {place} neighbourhood policing team.",),
    ExitReason.LONG_CUSTODY: (
        "Sentenced to {years} years for robbery at Demoford Crown Court.",
        "Sentenced to {years} years for burglary at Demoford Crown Court.",
    ),
    ExitReason.MOVED_AWAY: (
        "Moved to Westshire; case passed to the Westshire IOM unit.",
        "Moved to live with family in Northvale; case passed to the local IOM unit.",
    ),
    ExitReason.DECEASED: ("",),
    ExitReason.OTHER: (
        "Now managed under MAPPA level 2 instead of IOM.",
        "Detained in hospital under the Mental Health Act for long-term treatment.",
        "In a twelve-month residential rehabilitation programme outside the area.",
    ),
}
_MEETING_NOTES = (
    "Monthly IOM panel.",
    "Monthly IOM panel. The drug service reported on test-on-release results.",
    "Monthly IOM panel. Housing: two bed spaces available at the Demoford approved premises.",
    "Monthly IOM panel. Prison: five cohort members due for release next month.",
)
_TAKEOVER_NOTE = (
    "Review of the caseload taken over from the PPO and drug intervention schemes "
    "(part {part} of 3)."
)
_FULL_NOTE = (
    "The cohort reached its cap of {cap} at this meeting; referrals that are not urgent "
    "are deferred until places are free."
)
_AT_CAP_NOTE = (
    "The cohort reached its cap of {cap}. The chair accepted {overrides} urgent cases above "
    "it; a cohort review before the next panel will free places."
)
