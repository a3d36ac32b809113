"""Reading the URL configuration and the OpenAPI schema, and turning every URL pattern into
the requests the matrix sends: once for each person (and record) it can be about."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .routes import ACCOUNT, API, PAGES
from .world import World

# --- Reading the URL configuration -------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """One URL pattern: its name, its route as written, its arguments and the methods its
    view answers (an API viewset's action map; a page: GET and POST)."""

    name: str
    route: str
    kwargs: frozenset
    methods: tuple
    is_api: bool
    is_format_suffix: bool = False


def _callback_methods(callback) -> tuple:
    actions = getattr(callback, "actions", None)
    if actions is None:
        return ("get", "post")
    cls = callback.cls
    # DRF adds "head" to a view's actions at its first request (as a copy of "get"), so it
    # appears once any test has called the view: it is the GET, walked as such.
    allowed = [m for m in actions if m in cls.http_method_names and m not in ("head", "options")]
    return tuple(sorted(set(allowed) | {"get"} if "get" in actions else set(allowed)))


def url_patterns() -> list[Pattern]:
    """Every URL pattern except the admin site's (walked in test_admin.py)."""
    found = []

    def walk(entries, prefix: str, namespace: str, kwargs: frozenset):
        for entry in entries:
            inner_kwargs = kwargs | frozenset(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), ns, inner_kwargs)
            elif isinstance(entry, URLPattern):
                is_api = hasattr(entry.callback, "actions")
                found.append(
                    Pattern(
                        name=f"{namespace}{entry.name}" if entry.name else "",
                        route=prefix + str(entry.pattern),
                        kwargs=inner_kwargs,
                        methods=_callback_methods(entry.callback),
                        is_api=is_api,
                        is_format_suffix="format" in inner_kwargs,
                    )
                )

    walk(get_resolver().url_patterns, "", "", frozenset())
    return found


def api_basename(name: str) -> tuple[str, str]:
    """``nominal-detail`` -> (``nominal``, ``detail``); ``cohort-report-download`` ->
    (``cohort-report``, ``download``)."""
    for basename in sorted(API, key=len, reverse=True):
        if name.startswith(basename + "-"):
            return basename, name[len(basename) + 1 :]
    return name, ""


def schema_operations() -> list[tuple[str, str]]:
    """(path, method) of every operation the OpenAPI schema lists."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, method)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    ]


# --- Building the requests ---------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One URL to request: whose record it shows (``hidden``, ``shared``, ``mixed``: the
    shared person with the hidden person's record in another argument, ``threat``, or None
    for a URL that is about no one person), and where its definition came from."""

    name: str
    label: str
    url: str
    subject: str | None
    methods: tuple
    definition: object
    is_api: bool
    basename: str = ""
    action: str = ""

    def __str__(self) -> str:
        return self.label

    @property
    def repeats_a_view(self) -> bool:
        """A format-suffix URL, or the schema: the same code as a URL every persona walks,
        or no one's record. Walked by ``THOROUGH`` personas only, to keep the run short."""
        return ".json" in self.label or self.name in ("api-schema", "api-docs")


# The personas that also walk what repeats a view (format suffixes, the browsable API, the
# schema): the one who sees most, a partner, and a visitor. The code they reach is the same
# for everyone; walking it eleven times would only make the run longer.
THOROUGH = frozenset({"iom-manager", "partner-worker", "anonymous"})


def reads_of(persona_key: str, target: Target) -> tuple:
    """The reads of ``target`` that ``persona_key`` walks: GET, and for the thorough personas
    the browsable API's HTML page too (its forms and filters list choices of their own)."""
    if "get" not in target.methods:
        return ()
    if target.repeats_a_view and persona_key not in THOROUGH:
        return ()
    if target.is_api and not target.repeats_a_view and persona_key in THOROUGH:
        return ("get", "browsable")
    return ("get",)


def writes_of(persona_key: str, target: Target) -> tuple:
    if target.repeats_a_view and persona_key not in THOROUGH:
        return ()
    return tuple(method for method in target.methods if method != "get")


def _object_variants(world, objects: tuple) -> list[tuple[str, dict]]:
    """Every combination of the objects a URL about no one person names: a name is one of
    the world's objects, a tuple the literal values to try."""
    variants = [("", {})]
    for kwarg, source in objects:
        values = source if isinstance(source, tuple) else (source,)
        variants = [
            (
                f"{label} {value}".strip(),
                {**kwargs, kwarg: value if isinstance(source, tuple) else world.objects[value].pk},
            )
            for label, kwargs in variants
            for value in values
        ]
    return variants


def _person_variants(world: World, record: str, ids: dict, extra: dict, kwarg: str = "pk"):
    subjects = ["hidden", "shared"]
    if ids:
        subjects.append("mixed")
    for key in subjects:
        owner = world.shared if key == "mixed" else world.subject(key)
        records_of = world.hidden if key == "mixed" else owner
        kwargs = {kwarg: owner[record].pk, **extra}
        kwargs.update({kwarg: records_of[name].pk for kwarg, name in ids.items()})
        yield key, kwargs


def format_suffix(pattern: Pattern) -> dict:
    if "format" not in pattern.kwargs:
        return {}
    return {"format": "json"}


def unknown_kwargs(pattern: Pattern) -> set:
    """The arguments of ``pattern`` that the matrix does not know how to fill."""
    fills = {"format"}
    if pattern.is_api:
        basename, action = api_basename(pattern.name)
        if basename not in API:
            return set(pattern.kwargs) or {"(no definition)"}
        endpoint = API[basename]
        if action != "list":
            fills |= {"pk"} if endpoint.record else {kwarg for kwarg, _ in endpoint.objects}
    elif pattern.name in PAGES:
        fills |= PAGES[pattern.name].fills()
    else:
        return set(pattern.kwargs) or {"(no definition)"}
    return set(pattern.kwargs) - fills


def page_targets(world: World, patterns: list[Pattern]) -> list[Target]:
    targets = []
    for pattern in patterns:
        if pattern.is_api or pattern.name not in PAGES:
            continue
        page = PAGES[pattern.name]
        if page.audience == ACCOUNT:
            continue  # the user's own sign-in: test_account.py
        suffix = format_suffix(pattern)
        queries = {}
        if page.about:
            variants = [
                (f"{pattern.name} ({key})", kwargs, key)
                for key, kwargs in _person_variants(
                    world, page.about, page.ids, page.extra, page.about_kwarg
                )
            ]
            if pattern.name == "referrals:detail":
                variants.append(
                    ("referrals:detail (threat)", {"pk": world.threat["referral"].pk}, "threat")
                )
        elif page.objects:
            variants = [
                (f"{pattern.name} ({label})", {**page.extra, **kwargs}, None)
                for label, kwargs in _object_variants(world, page.objects)
            ]
            if pattern.name.startswith("reports:cohort-report"):
                annexed = {**variants[0][1], "report_id": world.objects["annexed_report"].pk}
                if pattern.name.endswith("download"):
                    annexed["file_format"] = "annex"
                variants.append((f"{pattern.name} (named annex)", annexed, None))
        else:
            label = pattern.name + (" .json" if suffix else "")
            variants = [(label, {**page.extra, **suffix}, None)]
            if page.query_about:
                for key in ("hidden", "shared"):
                    queries[f"{pattern.name} (of the {key} person)"] = key
        methods = ("get", "post")
        for label, kwargs, subject in variants:
            url = reverse(pattern.name, kwargs=kwargs or None)
            targets.append(Target(pattern.name, label, url, subject, methods, page, False))
        for label, key in queries.items():
            url = f"{reverse(pattern.name)}?nominal={world.subject(key).nominal.pk}"
            targets.append(Target(pattern.name, label, url, key, methods, page, False))
    return targets


def api_targets(world: World, patterns: list[Pattern]) -> list[Target]:
    """The router's URLs, each with every method its viewset maps (a create once for each
    person it could be about); format-suffix URLs (``/api/nominals.json``) with GET."""
    targets = []
    for pattern in patterns:
        if pattern.is_api and api_basename(pattern.name)[0] in API:
            targets += _api_targets_of(world, pattern)
    return targets


def _api_targets_of(world: World, pattern: Pattern) -> list[Target]:
    basename, action = api_basename(pattern.name)
    endpoint = API[basename]
    kwargs = format_suffix(pattern)
    suffix = " .json" if pattern.is_format_suffix else ""
    methods = ("get",) if pattern.is_format_suffix else pattern.methods
    if pattern.is_format_suffix and "get" not in pattern.methods:
        return []  # an action that answers POST only: its URL without the suffix is walked
    targets = []

    def add(label, k, subject, walked_methods):
        url = reverse(pattern.name, kwargs=k or None)
        targets.append(
            Target(
                pattern.name,
                label,
                url,
                subject,
                tuple(walked_methods),
                endpoint,
                is_api=True,
                basename=basename,
                action=action,
            )
        )

    if action == "list":
        add(f"{pattern.name}{suffix}", kwargs, None, [m for m in methods if m != "post"])
        if "post" in methods and endpoint.record:
            for key in ("hidden", "shared"):
                add(f"{pattern.name} (create for the {key} person)", kwargs, key, ["post"])
        elif "post" in methods:
            add(f"{pattern.name} (create)", kwargs, None, ["post"])
    elif endpoint.record:
        for key, k in _person_variants(world, endpoint.record, {}, {}):
            add(f"{pattern.name}{suffix} ({key})", {**kwargs, **k}, key, methods)
    else:
        objects = endpoint.objects
        if action != "download":
            objects = tuple(o for o in objects if o[0] != "file_format")
        variants = _object_variants(world, objects)
        for label, k in variants:
            add(f"{pattern.name}{suffix} ({label})", {**kwargs, **k}, None, methods)
        if basename == "cohort-report":
            annexed = {**kwargs, **variants[0][1], "pk": world.objects["annexed_report"].pk}
            if action == "download":
                annexed["file_format"] = "annex"
            add(f"{pattern.name}{suffix} (named annex)", annexed, None, methods)
    return targets


def all_targets(world) -> list[Target]:
    patterns = url_patterns()
    return page_targets(world, patterns) + api_targets(world, patterns)


class _Placeholder:
    """Stands for any person, record or object, before the world is built."""

    pk = 1

    def __getitem__(self, name):
        return self

    @property
    def nominal(self):
        return self


class _PlaceholderWorld:
    objects = defaultdict(_Placeholder)

    def subject(self, key):
        return _Placeholder()

    def __getattr__(self, name):
        return _Placeholder()


def planned_targets() -> list[Target]:
    """The targets as the tests are collected, before the world is built: the same labels
    and methods as ``all_targets``, with placeholder URLs."""
    return all_targets(_PlaceholderWorld())
