"""Walks what a results page was given (dataclasses, lists, dicts) to check it is a view model: no model rows
made up in memory to look like saved ones, and questions as results.AskedQuestion."""

import dataclasses

from django.db import models


def _walk(value, path: str):
    yield path, value
    if isinstance(value, models.Model):
        return  # a row's own fields and relations are the database's, not the view model's
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _walk(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}[{key!r}]")
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def unsaved_rows(value, path: str = "context") -> list[str]:
    """Where `value` holds a model instance that is not a row read from the database."""
    return [
        f"{where}: {type(found).__name__}"
        for where, found in _walk(value, path)
        if isinstance(found, models.Model) and (found._state.adding or found.pk is None)
    ]


def question_types(value, path: str = "context") -> set[type]:
    """The types of every `question` the view model holds."""
    return {type(found) for where, found in _walk(value, path) if where.endswith(".question")}
