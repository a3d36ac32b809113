"""Read paths for control measures, filtered through iom.access, with a constant number of
queries however long a person's history is."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cohorts.models import Nominal
from iom import sharing
from iom.access import restrict_by_nominal

from .models import (
    MISSED_OUTCOMES,
    OPEN_RECALL_STATUSES,
    Breach,
    ControlMeasure,
    ControlsConfiguration,
    DrugTest,
    Licence,
    Recall,
    RecallStatus,
    Sanction,
    TestOutcome,
)


def visible(model, user, action: str = "view") -> QuerySet:
    """Any control-measure record, filtered to the people the user may see."""
    return restrict_by_nominal(model.objects.all(), user, action, section=sharing.CONTROLS)


# --- The recall threshold -------------------------------------------------------------------


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT(*) subquery."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_recall_threshold(queryset: QuerySet[Nominal], today: datetime.date) -> QuerySet[Nominal]:
    """Annotate each person with what the recall threshold counts.

    ``current_licence_id``: the licence they are on today; ``class_a_positives`` and
    ``missed_tests``: tests on that licence since release or since the last recall on it;
    ``recall_in_progress``. Five correlated subqueries whatever the number of people.
    """
    current = Licence.objects.filter(
        nominal=OuterRef("pk"), release_date__lte=today, licence_expiry_date__gte=today
    ).order_by("-release_date", "-id")
    later_recall = Recall.objects.filter(
        licence=OuterRef("licence"), started_at__date__gte=OuterRef("tested_on")
    ).exclude(status=RecallStatus.CANCELLED)
    counted = DrugTest.objects.filter(licence=OuterRef("current_licence_id")).exclude(
        Exists(later_recall)
    )
    return queryset.annotate(
        current_licence_id=Subquery(current.values("pk")[:1]),
        class_a_positives=_count(counted.filter(outcome=TestOutcome.POSITIVE)),
        missed_tests=_count(counted.filter(outcome__in=MISSED_OUTCOMES)),
        recall_in_progress=Exists(
            Recall.objects.filter(nominal=OuterRef("pk"), status__in=OPEN_RECALL_STATUSES)
        ),
    )


def at_recall_threshold(configuration: ControlsConfiguration) -> Q:
    """People on licence, without a recall in progress, at either threshold."""
    return Q(current_licence_id__isnull=False, recall_in_progress=False) & (
        Q(class_a_positives__gte=configuration.class_a_positive_threshold)
        | Q(missed_tests__gte=configuration.missed_test_threshold)
    )


@dataclass(frozen=True)
class RecallPrompt:
    """A person who has reached the recall threshold, and why."""

    nominal: Nominal
    class_a_positives: int
    missed_tests: int
    configuration: ControlsConfiguration

    @property
    def reasons(self) -> list[str]:
        reasons = []
        threshold = self.configuration.class_a_positive_threshold
        if self.class_a_positives >= threshold:
            reasons.append(
                f"{self.class_a_positives} positive Class A tests on this licence "
                f"(threshold {threshold})"
            )
        missed = self.configuration.missed_test_threshold
        if self.missed_tests >= missed:
            reasons.append(
                f"{self.missed_tests} tests missed or refused on this licence: a failure to "
                f"engage (threshold {missed})"
            )
        return reasons

    @property
    def message(self) -> str:
        return "Recall threshold reached: " + "; ".join(self.reasons) + "."


def _prompt(nominal: Nominal, configuration: ControlsConfiguration) -> RecallPrompt:
    return RecallPrompt(
        nominal=nominal,
        # Annotated by the query that found the person.
        class_a_positives=getattr(nominal, "class_a_positives"),  # noqa: B009
        missed_tests=getattr(nominal, "missed_tests"),  # noqa: B009
        configuration=configuration,
    )


def recall_threshold_people(
    user, today: datetime.date, configuration: ControlsConfiguration, *, managed_by=None
) -> QuerySet[Nominal]:
    """The people the user may see who have reached the recall threshold today, annotated as
    ``with_recall_threshold`` does (``managed_by``: only the people that user manages)."""
    people = Nominal.objects.visible_to(user)
    if managed_by is not None:
        people = people.filter(offender_managers=managed_by)
    return with_recall_threshold(people, today).filter(at_recall_threshold(configuration))


def recall_prompts_for(
    user, today: datetime.date | None = None, *, managed_by=None
) -> list[RecallPrompt]:
    """Everyone the user may see who has reached the recall threshold today, and why.

    For the "My work" page: pass ``managed_by=user`` for the user's own caseload only.
    Two queries (the configuration and the people) whatever the size of the cohort.
    """
    today = today or timezone.localdate()
    configuration = ControlsConfiguration.current()
    people = (
        recall_threshold_people(user, today, configuration, managed_by=managed_by)
        .select_related("lead_agency")
        .order_by("surname", "first_names", "id")
    )
    return [_prompt(nominal, configuration) for nominal in people]


def decisions_to_countersign(user) -> QuerySet[Recall]:
    """Recall decisions waiting for a manager's countersignature that ``user`` may
    countersign: only a manager of the IOM unit, never on their own decision, and only on
    people whose record they may change (the rule of ``countersign_recall_decision``)."""
    if not getattr(user, "is_authenticated", False) or not user.is_iom_manager:
        return Recall.objects.none()
    return (
        visible(Recall, user, "change")
        .filter(
            status=RecallStatus.BEING_ASSESSED,
            decided_at__isnull=False,
            countersigned_at__isnull=True,
        )
        .exclude(decided_by=user)
    )


# --- One person's control measures ----------------------------------------------------------


@dataclass
class Controls:
    """Everything the Controls section and the documents show about one person."""

    nominal: Nominal
    licences: list[Licence]
    current_licence: Licence | None
    recalls: list[Recall]
    drug_tests: list[DrugTest]
    measures: list[ControlMeasure]
    configuration: ControlsConfiguration
    today: datetime.date
    by_category: dict = field(default_factory=dict)

    @property
    def prompt(self) -> RecallPrompt | None:
        """The recall prompt, if the person has reached the threshold today: the rule of
        ``with_recall_threshold`` and ``at_recall_threshold``, on the rows already loaded
        (the tests hold the two to the same answers)."""
        if self.current_licence is None or self.recall_in_progress is not None:
            return None
        positives, missed = self.counted_positives, self.counted_missed
        configuration = self.configuration
        if (
            positives < configuration.class_a_positive_threshold
            and missed < configuration.missed_test_threshold
        ):
            return None
        return RecallPrompt(self.nominal, positives, missed, configuration)

    @property
    def recall_in_progress(self) -> Recall | None:
        return next((recall for recall in self.recalls if recall.is_in_progress), None)

    @property
    def breaches(self) -> list[Breach]:
        return [breach for licence in self.licences for breach in licence.breaches.all()]

    @property
    def sanctions(self) -> list[Sanction]:
        return [sanction for licence in self.licences for sanction in licence.sanctions.all()]

    def counted_tests(self) -> list[DrugTest]:
        """The tests the recall threshold counts: on the current licence, after its last
        recall (the same rule as ``with_recall_threshold``, on rows already loaded)."""
        licence = self.current_licence
        if licence is None:
            return []
        recall_days = [
            timezone.localdate(recall.started_at)
            for recall in self.recalls
            if recall.licence_id == licence.pk and recall.status != RecallStatus.CANCELLED
        ]
        since = max(recall_days, default=None)
        return [
            test
            for test in self.drug_tests
            if test.licence_id == licence.pk and (since is None or test.tested_on > since)
        ]

    @property
    def counted_positives(self) -> int:
        return sum(1 for test in self.counted_tests() if test.is_positive)

    @property
    def counted_missed(self) -> int:
        return sum(1 for test in self.counted_tests() if test.is_missed)

    @property
    def positives_on_licence(self) -> int:
        """Positive Class A tests on the current licence, recalls or not."""
        return sum(1 for test in self.tests_on(self.current_licence) if test.is_positive)

    @property
    def missed_on_licence(self) -> int:
        return sum(1 for test in self.tests_on(self.current_licence) if test.is_missed)

    def tests_on(self, licence: Licence | None) -> list[DrugTest]:
        if licence is None:
            return []
        return [test for test in self.drug_tests if test.licence_id == licence.pk]


def licences_of(nominal: Nominal) -> QuerySet[Licence]:
    return (
        Licence.objects.filter(nominal=nominal)
        .select_related("supervising_officer__agency")
        .prefetch_related(
            "conditions",
            Prefetch(
                "breaches",
                queryset=Breach.objects.select_related("condition").order_by("-occurred_on", "-id"),
            ),
            Prefetch(
                "sanctions",
                queryset=Sanction.objects.select_related("issued_by", "breach").order_by(
                    "issued_on", "id"
                ),
            ),
        )
        .order_by("-release_date", "-id")
    )


def _recalls_of(nominal: Nominal, *, in_full: bool) -> QuerySet[Recall]:
    recalls = Recall.objects.filter(nominal=nominal).order_by("-started_at", "-id")
    if not in_full:
        return recalls
    return recalls.select_related(
        "breach", "started_by", "decided_by", "countersigned_by", "dossier_issued_by"
    ).prefetch_related("alternatives")


def controls_of(
    nominal: Nominal, today: datetime.date | None = None, *, in_full: bool = False
) -> Controls:
    """A visible person's control measures (the caller has passed the access gate).

    ``in_full`` also reads each recall's breach, alternatives and the people who started,
    decided, countersigned and issued it, as the documents show them. The Controls section
    lists the recalls by date and status only: compiling the query of the five joins to the
    users cost a tenth of its time, for rows nearly everyone has none of."""
    today = today or timezone.localdate()
    licences = list(licences_of(nominal))
    measures = list(
        ControlMeasure.objects.filter(nominal=nominal).order_by("category", "-starts_on", "-id")
    )
    by_category: dict[str, list[ControlMeasure]] = {}
    for measure in measures:
        by_category.setdefault(measure.category, []).append(measure)
    return Controls(
        nominal=nominal,
        licences=licences,
        current_licence=next((lic for lic in licences if lic.is_current_on(today)), None),
        recalls=list(_recalls_of(nominal, in_full=in_full)),
        drug_tests=list(DrugTest.objects.filter(nominal=nominal).order_by("-tested_on", "-id")),
        measures=measures,
        configuration=ControlsConfiguration.current(),
        today=today,
        by_category=by_category,
    )


def licence_of(nominal: Nominal, licence_id: int) -> Licence:
    return get_object_or_404(Licence.objects.filter(nominal=nominal), pk=licence_id)


def breach_of(nominal: Nominal, breach_id: int) -> Breach:
    return get_object_or_404(
        Breach.objects.filter(nominal=nominal).select_related("licence", "condition"),
        pk=breach_id,
    )


def recall_of(nominal: Nominal, recall_id: int) -> Recall:
    return get_object_or_404(
        Recall.objects.filter(nominal=nominal).select_related(
            "breach__condition", "licence", "started_by", "sanction"
        ),
        pk=recall_id,
    )


def measure_of(nominal: Nominal, measure_id: int) -> ControlMeasure:
    return get_object_or_404(ControlMeasure.objects.filter(nominal=nominal), pk=measure_id)


def recall_in_progress_column(queryset: QuerySet[Nominal]) -> QuerySet[Nominal]:
    """The cohort list's "Controls" column: one EXISTS subquery."""
    return queryset.annotate(
        controls_recall_in_progress=Exists(
            Recall.objects.filter(nominal=OuterRef("pk"), status__in=OPEN_RECALL_STATUSES)
        )
    )
