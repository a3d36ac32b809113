"""What the matrix sends to each form and API write: what a user allowed to would send, so
that a missing gate would really change a row (the IOM unit's walk proves each is accepted).
Each builder takes the person the URL is about (``s``, a ``world.Subject``) and the world."""

from __future__ import annotations

import datetime

from .world import TODAY


def on(name: str, day: datetime.date) -> dict:
    """A GOV.UK date input's three fields."""
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def fresh(obj):
    obj.refresh_from_db()
    return obj


# --- Pages -------------------------------------------------------------------------------


def _nominal_form(s, w):
    n = fresh(s.nominal)
    return {
        "first_names": n.first_names,
        "surname": "Overwritten",
        **on("date_of_birth", n.date_of_birth),
        "gender": n.gender,
        "pnc_id": n.pnc_id,
        "cro_number": n.cro_number or "",
        "crn": n.crn,
        "prison_number": n.prison_number or "",
        "neighbourhood": n.neighbourhood_id,
        "lead_agency": n.lead_agency_id,
        "version": n.version,
    }


def _sharing_form(s, w):
    return {"share": "1", "team": w.teams["south"].pk, "reason": "Joint visit"}


def _membership_form(s, w):
    membership = fresh(s["membership"])
    return {
        "exit": "1",
        "exit-exit_reason": "moved",
        **on("exit-exited_on", TODAY),
        "exit-version": membership.version,
    }


def _engagement_form(s, w):
    return {"status": "declined", **on("on", TODAY), "note": "Refused to engage"}


def _override_form(s, w):
    return {
        "action": "set",
        "band": "green",
        "reason": "Settled",
        **on("expires_on", TODAY + datetime.timedelta(days=30)),
    }


def _ogrs3_form(s, w):
    return {
        "action": "correct",
        "field": "previous_sanctions",
        "count_value": 4,
        "reason": "Two convictions were missing",
    }


def _factor_form(s, w):
    return {"factor": "unemployed", **on("started_on", TODAY)}


def _factor_end_form(s, w):
    factor = fresh(s["dynamic_factor"])
    return {"factor": factor.pk, "version": factor.version, **on("ended_on", TODAY)}


def _custody_form(s, w):
    return {**on("started_on", TODAY - datetime.timedelta(days=400)), "establishment": "HMP X"}


def _residence_form(s, w):
    return {"in_area": "no", **on("started_on", TODAY), "details": "Moved away"}


def _licence_form(s, w):
    """An earlier licence (the person is on one now)."""
    return {
        **on("release_date", TODAY - datetime.timedelta(days=500)),
        **on("licence_expiry_date", TODAY - datetime.timedelta(days=200)),
        **on("sentence_expiry_date", TODAY - datetime.timedelta(days=200)),
        "offence": "Robbery",
    }


def _licence_change_form(s, w):
    licence = fresh(s["licence"])
    return {
        **on("release_date", licence.release_date),
        **on("licence_expiry_date", licence.licence_expiry_date),
        **on("sentence_expiry_date", licence.sentence_expiry_date),
        "offence": "Robbery",
        "version": licence.version,
    }


def _condition_form(s, w):
    return {"condition_type": "additional", "text": "Curfew 19:00 to 07:00"}


def _breach_form(s, w):
    return {**on("occurred_on", TODAY), "evidence": "Missed curfew"}


def _recall_form(s, w):
    return {"reason": "Further offending", "skip_reason": "Risk of serious harm"}


def _recall_step_form(s, w):
    recall = fresh(s["recall"])
    return {"action": "step", "step": "probation_contacted_at", "version": recall.version}


def _sanction_form(s, w):
    return {"level": 1, **on("issued_on", TODAY), "breach": s["breach"].pk}


def _drug_test_form(s, w):
    return {**on("tested_on", TODAY), "outcome": "negative"}


def _measure_form(s, w):
    return {"kind": "report", "details": "Report daily", **on("starts_on", TODAY)}


def _measure_change_form(s, w):
    measure = fresh(s["measure"])
    return {"status": "ended", **on("ends_on", TODAY), "version": measure.version}


def _pathway_form(s, w):
    pathway = s.nominal.plan_pathways.get(pathway="accommodation")
    return {
        "need": "high",
        "status": "on-track",
        "aims": "Settled home",
        "version": pathway.version,
    }


def _review_form(s, w):
    pathway = s.nominal.plan_pathways.get(pathway="accommodation")
    return {**on("reviewed_on", TODAY), "notes": "Reviewed", "version": pathway.version}


def _action_form(s, w):
    return {
        "description": "Housing appointment",
        "agency": w.teams["police"].pk,
        **on("due_on", TODAY),
    }


def _action_change_form(s, w):
    action = fresh(s["pathway_action"])
    return {
        "description": "Changed",
        **on("due_on", TODAY),
        "agency": action.agency_id,
        "version": action.version,
    }


def _documents_form(s, w):
    return {"kind": "court-briefing"}


def _referral_of_existing_form(s, w):
    """A referral of a person who is already on the system (``?nominal=`` in the form)."""
    return {
        "nominal": s.nominal.pk if s else "",
        "stream": "sac",
        "proposed_lead_agency": w.teams["police"].pk,
        "reasons": "Repeat burglary",
    }


def new_person_referral(w, person: dict) -> dict:
    """The referral form filled in for a person not (the user thinks) on the system."""
    return {
        "stream": "sac",
        "proposed_lead_agency": w.teams["police"].pk,
        "reasons": "Repeat burglary",
        "person-first_names": person["first_names"],
        "person-surname": person["surname"],
        **on("person-date_of_birth", datetime.date(1990, 5, 17)),
        "person-gender": "male",
        "person-pnc_id": person["pnc_id"],
        "person-crn": person["crn"],
        "person-prison_number": person.get("prison_number") or "",
    }


def _panel_form(s, w):
    return {
        **on("held_on", TODAY),
        "chair": w.users["iom-manager"].pk,
        "attending_agencies": [w.teams["police"].pk],
    }


def _panel_decision_form(s, w):
    referral = fresh(w.threat["referral"])
    return {
        "referral": referral.pk,
        "decision": "reject",
        "reason": "Not suitable",
        "version": referral.version,
    }


def _report_request_form(s, w):
    start = TODAY.replace(day=1) - datetime.timedelta(days=40)
    return {**on("start", start), **on("end", start + datetime.timedelta(days=20))}


# --- The API -------------------------------------------------------------------------------


def _api_breach(s, w):
    return {"licence": s["licence"].pk, "occurred_on": TODAY.isoformat(), "evidence": "Late"}


def _api_drug_test(s, w):
    return {
        "nominal": s.nominal.pk,
        "licence": s["licence"].pk,
        "tested_on": TODAY.isoformat(),
        "outcome": "negative",
    }


def _api_measure(s, w):
    return {
        "nominal": s.nominal.pk,
        "kind": "report",
        "details": "Report daily",
        "starts_on": TODAY.isoformat(),
    }


def _api_action(s, w):
    return {
        "nominal": s.nominal.pk,
        "pathway": "accommodation",
        "agency": w.teams["police"].pk,
        "description": "Housing appointment",
        "due_on": TODAY.isoformat(),
    }


def _api_action_change(s, w):
    return {"description": "Changed", "version": fresh(s["pathway_action"]).version}


def _api_nominal_change(s, w):
    return {"surname": "Overwritten", "version": fresh(s.nominal).version}


def _api_referral(s, w):
    return {
        "nominal": s.nominal.pk,
        "stream": "sac",
        "proposed_lead_agency": w.teams["police"].pk,
        "reasons": "Repeat burglary",
    }


def _api_document(s, w):
    return {"nominal": s.nominal.pk, "kind": "court-briefing"}


def new_person_api_referral(w, person: dict) -> dict:
    return {
        "stream": "sac",
        "proposed_lead_agency": w.teams["police"].pk,
        "reasons": "Repeat burglary",
        "new_person": {
            "first_names": person["first_names"],
            "surname": person["surname"],
            "date_of_birth": "1990-05-17",
            "gender": "male",
            "pnc_id": person["pnc_id"],
            "crn": person["crn"],
        },
    }


# --- Offending, intelligence and contacts (API) ---------------------------------------------


def _api_arrest(s, w):
    offence = s["arrest"].offence_type_id
    return {
        "nominal": s.nominal.pk,
        "arrested_on": TODAY.isoformat(),
        "offence_type": offence,
        "grounds": "suspicion",
    }


def _api_arrest_change(s, w):
    return {"location": "Corrected", "version": fresh(s["arrest"]).version}


def _api_detection(s, w):
    return {
        "nominal": s.nominal.pk,
        "committed_on": TODAY.isoformat(),
        "offence_type": s["detection"].offence_type_id,
        "outcome": "charged",
    }


def _api_detection_change(s, w):
    return {"location": "Corrected", "version": fresh(s["detection"]).version}


def _api_intelligence(s, w):
    return {
        "nominal": s.nominal.pk,
        "reported_on": TODAY.isoformat(),
        "intelligence_source": "police",
        "summary": "Seen at the flat",
        "grading_system": "3x5x2",
        "source_evaluation": "B",
        "intelligence_assessment": 2,
        "handling_code": "P",
    }


def _api_intelligence_change(s, w):
    return {"location": "Corrected", "version": fresh(s["intelligence"]).version}


def _api_submission(s, w):
    return {"nominal": s.nominal.pk, "reported_on": TODAY.isoformat(), "summary": "Seen"}


def _api_decision(s, w):
    return {
        "decision": "reject",
        "note": "Already known",
        "version": fresh(s["submission"]).version,
    }


def _api_withdrawal(s, w):
    return {"reason": "Moved away", "version": fresh(s["referral"]).version}


def _api_contact(s, w):
    return {"nominal": s.nominal.pk, "kind": "office", "planned_at": f"{TODAY.isoformat()}T10:00"}


def _api_contact_change(s, w):
    return {"outcome": "Corrected", "version": fresh(s["contact"]).version}


# --- Tasks, custody, recall decisions and panels ----------------------------------------------


def _task_form(s, w):
    return {"version": fresh(s["task"]).version, "outcome": "Done"}


def _open_custody_form(s, w):
    """A second period while one is open: refused (400) for a user allowed."""
    return {"kind": "remand", **on("starts_on", TODAY), "establishment": "HMP X"}


def _expected_release_form(s, w):
    period = fresh(s["custody_period"])
    return {
        "version": period.version,
        **on("expected_release_on", TODAY + datetime.timedelta(days=30)),
        "expected_release_basis": "automatic",
    }


def _plan_item_form(s, w):
    """The day-of-release plan's item moved to the IOM unit's team, a day later."""
    item = fresh(s["release_plan_item"])
    return {
        "version": item.version,
        "owner_agency": w.teams["police"].pk,
        "owner_team": w.teams["iom_unit"].pk,
        **on("due_on", item.due_on + datetime.timedelta(days=1)),
        "details": "Moved",
    }


def _recall_decision_form(s, w):
    recall = fresh(s["recall"])
    return {
        "version": recall.version,
        "grounds": "both",
        "recall_type": "fixed-term",
        "rationale": "Risk has risen",
    }


def _minutes_form(s, w):
    panel = fresh(w.objects["panel"])
    return {"meeting-minutes": "Discussed", "meeting-version": panel.version}


def _panel_action_form(s, w):
    return {
        "action-action_title": "Visit",
        "action-action_owner": w.users["iom-officer"].pk,
        **on("action-action_due_on", TODAY),
    }


def _api_task(s, w):
    """A task for the IOM unit: only the IOM unit may add one for a team not its own."""
    return {"nominal": s.nominal.pk, "title": "Visit", "owner_team": w.teams["iom_unit"].pk}


def _api_task_complete(s, w):
    return {"version": fresh(s["task"]).version, "outcome": "Done"}


def _api_custody(s, w):
    """A second period while one is open: refused (400) for a user allowed."""
    return {"nominal": s.nominal.pk, "kind": "remand", "started_on": TODAY.isoformat()}


def _api_release(s, w):
    return {"version": fresh(s["custody_period"]).version, "released_on": TODAY.isoformat()}


def _api_expected_release(s, w):
    return {
        "version": fresh(s["custody_period"]).version,
        "expected_release_on": (TODAY + datetime.timedelta(days=30)).isoformat(),
    }


def _api_release_plan(s, w):
    return {
        "items": [
            {"key": "benefits", "owner_agency": w.teams["police"].pk, "due_on": TODAY.isoformat()}
        ]
    }


def _api_release_plan_item(s, w):
    item = fresh(s["release_plan_item"])
    return {
        "item": item.pk,
        "version": item.version,
        "owner_agency": w.teams["police"].pk,
        "owner_team": w.teams["iom_unit"].pk,
        "due_on": (item.due_on + datetime.timedelta(days=1)).isoformat(),
        "details": "Moved",
    }


def _api_minutes(s, w):
    return {"minutes": "Discussed", "version": fresh(w.objects["panel"]).version}


def _api_panel_action(s, w):
    return {"title": "Visit", "assignee": w.users["iom-officer"].pk, "due_on": TODAY.isoformat()}


def _api_panel_decision(s, w):
    """The person's referral is decided already: refused (400) for the IOM unit."""
    referral = fresh(s["referral"])
    return {
        "referral": referral.pk,
        "meeting": w.objects["panel"].pk,
        "decision": "reject",
        "reason": "Not suitable",
        "version": referral.version,
    }


def _api_recall_decision(s, w):
    return {
        "version": fresh(s["recall"]).version,
        "grounds": "both",
        "recall_type": "fixed-term",
        "rationale": "Risk has risen",
        "chosen": [],
    }


def _api_recall_countersign(s, w):
    return {"version": fresh(s["recall"]).version, "rationale": "Agreed"}


def _api_recall_step(s, w):
    return {
        "version": fresh(s["recall"]).version,
        "step": "probation_contacted",
        "out_of_order_reason": "Urgent",
    }


def _api_dossier_part(s, w):
    return {"version": fresh(s["recall"]).version, "part": "charge_sheet"}


def _api_dossier_issue(s, w):
    """The dossier lacks parts: refused (400) for a user allowed."""
    return {"version": fresh(s["recall"]).version}
