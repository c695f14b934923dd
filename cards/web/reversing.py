"""`reverse()` of URLs that take only whole-number ids, resolved once per name.

Django's `reverse()` walks the resolver and checks the arguments against the
pattern each time, ~0.05 ms a call; a review card reverses four (undo, card
info, grade, reveal) on every grade. Such a URL is its name's URL with the id
written in, so each name is reversed once with a probe id (per script prefix,
which the URL starts with) and later ids are formatted into it.
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, reverse

# An id no pattern's literal text contains (so it splits the URL only where
# the ids go).
_PROBE = 7_314_159_265_358_979


@lru_cache(maxsize=256)
def _parts(prefix: str, name: str, arity: int) -> tuple[str, ...]:
    url = reverse(name, args=[_PROBE + i for i in range(arity)])
    parts, rest = [], url
    for i in range(arity):
        head, probe, rest = rest.partition(str(_PROBE + i))
        if not probe:  # the pattern does not write its ids as they are
            raise ValueError(f"{name} does not take whole-number ids")
        parts.append(head)
    return (*parts, rest)


def reverse_ids(name: str, *ids: int) -> str:
    """`reverse(name, args=ids)` for a URL whose arguments are `<int:...>`."""
    if any(type(i) is not int or i < 0 for i in ids):
        return reverse(name, args=ids)  # whatever reverse makes of them
    parts = _parts(get_script_prefix(), name, len(ids))
    out = [parts[0]]
    for value, part in zip(ids, parts[1:], strict=True):
        out += [str(value), part]
    return "".join(out)
