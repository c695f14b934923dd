"""Every URL pattern of the project as a concrete path, for route-enumerating tests.

Tests that must hold for every endpoint (CSRF, headers, GETs that write nothing,
the admin boundary) walk this list, so endpoints added later are covered too.
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# Sample values per path converter; ids that do not exist still exercise auth,
# CSRF and headers (404s are part of what is checked).
SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "1", "uuid": "0" * 32}
_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*)\)")


@dataclass(frozen=True)
class Route:
    path: str
    name: str

    @property
    def is_admin(self) -> bool:
        return self.path.startswith("/admin/")


def _sample_regex(regex: str) -> str:
    def group(match: re.Match) -> str:
        body = match.group("body")
        if re.fullmatch(r"[\w|]+", body):
            return body.split("|")[0]
        return "x" if body in {".*", ".+"} else "1"

    text = _REGEX_GROUP.sub(group, regex)
    return text.lstrip("^").rstrip("$").replace("\\", "")


def _sample(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _ROUTE_PARAM.sub(
            lambda m: SAMPLES.get(m.group("conv") or "str", "1"), str(pattern)
        )
    if isinstance(pattern, RegexPattern):
        return _sample_regex(pattern._regex)
    raise TypeError(f"unknown URL pattern type {type(pattern)!r}")


def all_routes(urlconf: str | None = None) -> list[Route]:
    """One concrete path per URL pattern (duplicates removed), in URLconf order."""
    found: dict[str, Route] = {}

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            part = prefix + _sample(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = entry.namespace or ""
                walk(entry.url_patterns, part, f"{namespace}{ns}:" if ns else namespace)
            elif isinstance(entry, URLPattern):
                path = "/" + part
                found.setdefault(path, Route(path, f"{namespace}{entry.name or '?'}"))

    walk(get_resolver(urlconf).url_patterns, "", "")
    return list(found.values())


# --- Routes that take ids in the path (item 4) ---------------------------------


@dataclass(frozen=True)
class IdRoute:
    """A URL pattern with parameters, e.g. /review/<int:question_id>/grade/."""

    route: str
    name: str
    params: dict[str, str]  # parameter name -> converter name

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("/admin/")

    def path(self, values: dict[str, str]) -> str:
        return _ROUTE_PARAM.sub(lambda m: values[m.group("name")], self.route)


def id_routes(urlconf: str | None = None) -> list[IdRoute]:
    """Every URL pattern with a path parameter, in URLconf order.

    Regex patterns (only Django's admin has them) are returned with their
    sample path as `route` and no params, so a caller can refuse them.
    """
    found: list[IdRoute] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry.pattern, RoutePattern):
                part = prefix + str(entry.pattern)
            else:
                part = prefix + _sample(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = entry.namespace or ""
                walk(entry.url_patterns, part, f"{namespace}{ns}:" if ns else namespace)
                continue
            params = {
                m.group("name"): m.group("conv") or "str"
                for m in _ROUTE_PARAM.finditer(part)
            }
            has_groups = isinstance(entry.pattern, RegexPattern) and bool(
                entry.pattern.regex.groupindex
            )
            if params or has_groups:
                route = IdRoute("/" + part, f"{namespace}{entry.name or '?'}", params)
                found.append(route)

    walk(get_resolver(urlconf).url_patterns, "", "")
    return found
