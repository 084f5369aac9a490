"""A copy of a tree of pydantic models with some of its parts replaced, unchanged parts shared.

``transform(value, replace)`` calls ``replace`` on the value and, where it returns ``KEEP``,
on each part of it in turn (the fields of a model, the items of a list, tuple or dict); what
``replace`` returns instead takes that part's place. A model, list or dict none of whose parts
changed is returned as it is, so that a copy costs only what differs. Used to make a report's
texts inert and to take a test out of a contract's selections.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

KEEP: Any = object()  # what ``replace`` returns to leave a part as it is and look inside it


def transform(value: Any, replace: Callable[[Any], Any]) -> Any:
    found = replace(value)
    if found is not KEEP:
        return found
    if isinstance(value, BaseModel):
        changed = {}
        for name in type(value).model_fields:
            item = getattr(value, name)
            new = transform(item, replace)
            if new is not item:
                changed[name] = new
        return value.model_copy(update=changed) if changed else value
    if isinstance(value, list | tuple):
        items = [transform(item, replace) for item in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if isinstance(value, dict):
        pairs = {transform(k, replace): transform(v, replace) for k, v in value.items()}
        return pairs if pairs != value else value
    return value
