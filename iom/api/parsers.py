"""The API's JSON parser: a body nested deeper than any request of this API needs is refused
with 400, like any other malformed body, instead of exhausting the interpreter's recursion
limit (a 500) or the server's time."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# The deepest request body of the API is a referral with its new person (3 levels); this
# leaves room for growth and refuses what no client of this API sends.
MAX_DEPTH = 32


class DepthLimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.") from None
        if _depth(data) > MAX_DEPTH:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.")
        return data


def _depth(data) -> int:
    """How deeply lists and objects nest (a scalar is 0), counted without recursion."""
    deepest, pending = 0, [(data, 1)]
    while pending:
        value, level = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level
        pending.extend((child, level + 1) for child in children)
    return deepest
