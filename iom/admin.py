"""The admin site: for staff (administrators) only, to configure agencies, teams, users and
information-sharing agreements, and to unlock sign-in (``iom.backends`` lists their rights).

No personal data about the people managed is shown here, to anyone, superusers included: a
person's record is read and changed only through its pages or the API, which check access
and write the audit log. The audit log is read-only here and names no person.
"""

from axes.admin import AccessAttemptAdmin as BaseAccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from rest_framework.authtoken.admin import TokenAdmin as BaseTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from . import audit, services
from .models import Agency, AuditAction, AuditEvent, SharingAgreement, SystemToken, Team, User


class HidesPersonalDataOnDelete:
    """The delete page lists what else a deletion would remove or is protected by: for an
    agency, a neighbourhood or a user, that is people's records, by name. List only the
    objects being deleted, and count the rest."""

    def get_deleted_objects(self, objs, request):
        _, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            protected = [
                f"{len(protected)} related record(s), not listed here: they may hold "
                "personal data. They must be removed or moved first."
            ]
        return [str(obj) for obj in objs], model_count, perms_needed, protected


class ConfigurationAdmin(HidesPersonalDataOnDelete, admin.ModelAdmin):
    """The base of every admin page of the service: every save and deletion goes through an
    audited service, with the old and new values."""

    def save_model(self, request, obj, form, change):
        services.save_configuration(
            obj, by=audit.actor_from_request(request), changed=form.changed_data if change else None
        )

    def delete_model(self, request, obj):
        services.delete_configuration(obj, by=audit.actor_from_request(request))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Agency)
class AgencyAdmin(ConfigurationAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    exclude = ["group"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            obj.pk = services.create_agency(name=obj.name, kind=obj.kind, by=request.user).pk


@admin.register(Team)
class TeamAdmin(ConfigurationAdmin):
    list_display = ["name", "agency", "is_iom_unit", "is_case_holding", "is_neighbourhood"]
    list_filter = ["is_iom_unit", "is_case_holding", "is_neighbourhood", "agency"]
    search_fields = ["name"]
    exclude = ["group"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            team = services.create_team(
                agency=obj.agency,
                name=obj.name,
                is_iom_unit=obj.is_iom_unit,
                is_case_holding=obj.is_case_holding,
                is_neighbourhood=obj.is_neighbourhood,
                by=request.user,
            )
            obj.pk = team.pk


@admin.register(User)
class UserAdmin(HidesPersonalDataOnDelete, BaseUserAdmin):
    list_display = [
        "username", "first_name", "last_name", "agency", "team", "role", "is_active",
        "is_system_account",
    ]  # fmt: skip
    list_filter = ["role", "agency", "is_active", "is_staff", "is_system_account"]
    list_select_related = ["agency", "team"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Agency and role", {"fields": ("agency", "team", "role", "job_title")}),
        (
            "Access",
            {"fields": ("is_active", "is_staff", "is_superuser", "is_system_account", "groups")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Agency and role", {"fields": ("agency", "team", "role", "job_title")}),
    )
    actions = ["issue_set_password_links", "unlock_sign_in"]

    def get_readonly_fields(self, request, obj=None):
        # Groups follow the agency and team. Only a superuser may make one.
        readonly = ["groups", "last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly.append("is_superuser")
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.sync_groups(form.instance)
        # Who may see what follows from a user's agency, team and role: every change is
        # audited, naming the fields changed (their values are on the user's page).
        changed = [name for name in form.changed_data if name not in ("password1", "password2")]
        audit.record(
            audit.actor_from_request(request),
            AuditAction.ALTERATION if change else AuditAction.COLLECTION,
            form.instance,
            description=(
                f"Changed the user in the admin: {', '.join(changed)}"
                if change
                else "Created the user in the admin"
            ),
        )

    def user_change_password(self, request, id, form_url=""):
        """Setting a password here (rather than issuing a link) is audited too."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                audit.record(
                    audit.actor_from_request(request),
                    AuditAction.ALTERATION,
                    self.get_object(request, id),
                    description="Set the password in the admin",
                )
        return response

    @admin.action(description="Issue a set-password link", permissions=["change"])
    def issue_set_password_links(self, request, queryset):
        """Each link is shown once, here: there is no email. Give it to the user in person
        or by a trusted channel."""
        links = []
        for user in queryset.order_by("username"):
            try:
                path = services.issue_set_password_link(user, by=audit.actor_from_request(request))
            except (PermissionDenied, ValidationError) as refused:
                message = refused.messages[0] if hasattr(refused, "messages") else str(refused)
                self.message_user(request, f"{user.username}: {message}", messages.ERROR)
                continue
            links.append({"user": user, "url": request.build_absolute_uri(path)})
        if not links:
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Set-password links",
            "links": links,
            "hours": services.set_password_link_hours(),
            "opts": self.model._meta,
        }
        response = TemplateResponse(request, "admin/iom/user/set_password_links.html", context)
        response.headers["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Unlock sign-in", permissions=["change"])
    def unlock_sign_in(self, request, queryset):
        attempts = AccessAttempt.objects.filter(
            username__in=list(queryset.values_list("username", flat=True))
        )
        count = services.unlock_sign_in(attempts, by=audit.actor_from_request(request))
        self.message_user(request, f"Cleared {count} failed sign-in record(s).")


class SharingAgreementForm(forms.ModelForm):
    """The agreement's own checks (dates in order, at least one party) as form errors, and the
    version the page was shown at, so a stale save is refused like any other edit."""

    loaded = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SharingAgreement
        fields = ["name", "parties", *services.AGREEMENT_FIELDS[1:]]
        # A box to tick for each agency: the admin's two-list picker names its search boxes
        # with attributes a plain element may not have (ARIA), and there are few agencies.
        widgets = {"parties": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded"].initial = self.instance.version

    @property
    def loaded_version(self) -> int:
        loaded = self.cleaned_data.get("loaded")
        return self.instance.version if loaded is None else loaded

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            stored = SharingAgreement.objects.filter(pk=self.instance.pk).values("version")
            if stored and stored[0]["version"] != self.loaded_version:
                raise ValidationError(
                    "Someone else changed this agreement after you opened it. Reload the page "
                    "to see their changes, then make yours again"
                )
        draft = SharingAgreement(
            pk=self.instance.pk,
            **{name: cleaned.get(name) for name in services.AGREEMENT_FIELDS if name in cleaned},
        )
        draft._state.adding = self.instance._state.adding  # its own name is not a duplicate
        try:
            services.check_agreement(draft, cleaned.get("parties") or [])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, messages[0])
        return cleaned


@admin.register(SharingAgreement)
class SharingAgreementAdmin(ConfigurationAdmin):
    list_display = ["name", "starts_on", "review_on", "ends_on", "party_names"]
    list_filter = ["parties"]
    search_fields = ["name"]
    readonly_fields = ["version", "updated_at"]
    fieldsets = (
        (None, {"fields": ("name", "parties", "purpose", "legal_basis", "loaded")}),
        ("Dates", {"fields": ("starts_on", "review_on", "ends_on")}),
        (
            "Sections of a person's record it covers",
            {
                "fields": (
                    "covers_identity",
                    "offending",
                    "covers_intelligence",
                    "covers_risk",
                    "covers_controls",
                    "covers_contacts",
                    "pathways",
                    "covers_documents",
                    "ends_with_membership",
                )
            },
        ),
        ("Record", {"fields": ("version", "updated_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("parties")

    @admin.display(description="Parties")
    def party_names(self, obj) -> str:
        return ", ".join(agency.name for agency in obj.parties.all())

    form = SharingAgreementForm

    def save_model(self, request, obj, form, change):
        """Saved with its parties in ``save_related``: through the agreement services, so the
        audit event holds the old and new values, parties included."""

    def save_related(self, request, form, formsets, change):
        fields = {name: form.cleaned_data[name] for name in services.AGREEMENT_FIELDS}
        parties = form.cleaned_data["parties"]
        by = audit.actor_from_request(request)
        if change:
            # The version the administrator's page showed: a save over someone else's is refused.
            services.update_agreement(
                form.instance.pk, version=form.loaded_version, by=by, parties=parties, **fields
            )
        else:
            form.instance.pk = services.create_agreement(parties=parties, by=by, **fields).pk


@admin.register(AuditEvent)
class AuditEventAdmin(ConfigurationAdmin):
    """Who did what, when and from where, without naming the person or showing any value:
    descriptions, changes, reasons, recipients and query strings can all hold personal data,
    which a manager reads in the audit trail pages instead."""

    list_display = ["at", "username", "agency_name", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_id"]
    # No date_hierarchy: its drill-down reads the dates of the whole log (millions of rows).
    fields = [
        "at", "username", "agency_name", "action", "object_type", "object_id",
        "disclosure_format", "agreement", "page", "ip_address",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description="Page")
    def page(self, obj) -> str:
        return obj.path.split("?", 1)[0]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(HidesPersonalDataOnDelete, BaseAccessAttemptAdmin):
    """Sign-in lock-outs. Unlocking clears the attempts, and is audited."""

    actions = ["unlock"]
    # The form data of an attempt is not shown: a password typed in the wrong box would be.
    fieldsets = (
        (None, {"fields": ("username", "path_info", "failures_since_start", "expiration")}),
        ("Meta data", {"fields": ("user_agent", "ip_address", "http_accept")}),
    )

    @admin.action(description="Unlock: clear these failed sign-ins", permissions=["delete"])
    def unlock(self, request, queryset):
        count = services.unlock_sign_in(queryset, by=audit.actor_from_request(request))
        self.message_user(request, f"Cleared {count} failed sign-in record(s).")

    def delete_model(self, request, obj):
        services.unlock_sign_in(
            AccessAttempt.objects.filter(pk=obj.pk), by=audit.actor_from_request(request)
        )

    def delete_queryset(self, request, queryset):
        services.unlock_sign_in(queryset, by=audit.actor_from_request(request))


admin.site.unregister(Group)


admin.site.unregister(TokenProxy)  # registered as SystemToken, named by its account


@admin.register(SystemToken)
class TokenAdmin(BaseTokenAdmin):
    """API tokens, for system accounts only (``iom.api.authentication`` accepts no other).
    A token's key is shown once, when it is issued, and never listed; issuing and revoking
    are audited, naming the account and never the key."""

    list_display = ("user", "created")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(is_system_account=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit.record(
                audit.actor_from_request(request),
                AuditAction.COLLECTION,
                obj.user,
                description=f"Issued an API token to the system account {obj.user.username}",
            )
        self.message_user(
            request,
            f"The token of {obj.user.username} is {obj.key}. Copy it now: it is not shown again.",
            messages.WARNING,
        )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(
                audit.actor_from_request(request),
                AuditAction.ERASURE,
                obj.user,
                description=f"Revoked the API token of the system account {obj.user.username}",
            )
            super().delete_model(request, obj)
