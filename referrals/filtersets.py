"""The referrals queue's filters: one definition for the page and the referrals API.

Both read the same parameters into one ``queries.ReferralFilters`` and list it with
``queries.referral_list``, so a query string gives the same referrals in both. The page alone
opens, with no parameters at all, on the referrals awaiting the panel now.
"""

from django_filters import ChoiceFilter, FilterSet, ModelChoiceFilter

from cohorts.models import CohortStream
from iom.forms import GovukForm
from iom.models import Agency

from . import queries
from .models import Referral, ReferralStatus
from .queries import QUEUE


class ReferralFilterSet(FilterSet):
    status = ChoiceFilter(
        label="Status",
        choices=[(QUEUE, "Awaiting panel now"), ("", "Any status"), *ReferralStatus.choices],
        empty_label=None,
        help_text=f"{QUEUE}: open referrals, and deferred ones whose date has come",
    )
    referring_agency = ModelChoiceFilter(
        label="Referring agency", queryset=Agency.objects.all(), empty_label="Any agency"
    )
    stream = ChoiceFilter(
        label="Stream", choices=[("", "Any stream"), *CohortStream.choices], empty_label=None
    )

    class Meta:
        model = Referral
        fields: list[str] = []
        form = GovukForm

    def referral_filters(self) -> queries.ReferralFilters:
        """What was asked; the queue if the parameters are not valid."""
        if not self.is_valid():
            return queries.ReferralFilters()
        data = self.form.cleaned_data
        agency = data["referring_agency"]
        return queries.ReferralFilters(
            status=data["status"] or "",
            agency=agency.pk if agency else None,
            stream=data["stream"] or "",
        )

    def filter_queryset(self, queryset):
        return queries.referral_list(self.request.user, self.referral_filters(), queryset)
