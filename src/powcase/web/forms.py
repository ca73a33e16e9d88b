"""Forms driven by the event models: one field per simple field of the event class, validated
by the same pydantic model the CLI and the API use, with each error kept beside its field.

Nested parts (an interpreter, who was present) have their own fields on the interview page;
the generic form offers the simple fields only (text, dates, numbers, yes/no, a choice, and
lists typed as comma-separated values). Nothing here decides anything: the model validates and
the Office records.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from powcase.domain.events import Event
from powcase.web.i18n import N_, Gettext

Kind = Literal["text", "date", "number", "bool", "choice", "list", "textarea"]
_LONG = {"reasoning", "reasons", "notes", "basis", "measures", "decision", "words_original", "words_translated",
         "description", "conditions", "circumstances_detail", "reason", "assurances"}


@dataclass(frozen=True)
class FormField:
    name: str
    kind: Kind
    required: bool
    choices: tuple[str, ...] = ()


@dataclass
class FormState:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the type inside Optional/Annotated, whether None is allowed)."""
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(get_args(annotation))
            if len(args) != 1:
                return annotation, optional
            annotation = args[0]
        else:
            return annotation, optional


def _choices(annotation: Any) -> tuple[str, ...]:
    if get_origin(annotation) is Literal:
        return tuple(str(a) for a in get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return tuple(str(m.value) for m in annotation)
    return ()


# A part made of simple fields (a reconfirmation: by whom, with what result) is shown as its
# fields, named "part__field", and read back into the part.
NESTED = "__"


def form_fields(model: type[BaseModel], skip: tuple[str, ...] = (), prefix: str = "", optional: bool = False) -> list[FormField]:
    out: list[FormField] = []
    for own, info in model.model_fields.items():
        if own in ("type", *skip):
            continue
        inner, _ = _unwrap(info.annotation)
        required = info.is_required() and not optional
        name = prefix + own
        if isinstance(inner, type) and issubclass(inner, BaseModel) and not prefix:
            out.extend(form_fields(inner, prefix=name + NESTED, optional=not info.is_required()))
            continue
        if inner is bool:
            out.append(FormField(name, "bool", False))
        elif inner is date:
            out.append(FormField(name, "date", required))
        elif inner is int:
            out.append(FormField(name, "number", required))
        elif _choices(inner):
            out.append(FormField(name, "choice", required, _choices(inner)))
        elif get_origin(inner) is list:
            item, _ = _unwrap(get_args(inner)[0])
            if item is str or _choices(item):
                out.append(FormField(name, "list", required, _choices(item)))
        elif inner is str:
            out.append(FormField(name, "textarea" if name in _LONG else "text", required))
    return out


def read_form(fields: list[FormField], form: dict[str, str]) -> dict[str, Any]:
    """The posted form as model input: empty means absent, lists are comma-separated."""
    data: dict[str, Any] = {}
    for f in fields:
        raw = form.get(f.name, "")
        part, nested, name = f.name.rpartition(NESTED)
        target = data.setdefault(part, {}) if nested else data
        if f.kind == "bool":
            target[name] = raw in ("on", "true", "yes", "1")
        elif f.kind == "list":
            items = [item.strip() for item in raw.split(",") if item.strip()]
            if items:
                target[name] = items
        elif raw.strip():
            target[name] = raw.strip()
    # A part left wholly empty is absent, not a part with missing fields.
    return {k: v for k, v in data.items() if v != {}}


# Pydantic's error kinds, said in the reader's language.
_MESSAGES = {
    "missing": N_("Required."),
    "date_parsing": N_("Not a date."),
    "date_from_datetime_parsing": N_("Not a date."),
    "date_type": N_("Not a date."),
    "int_parsing": N_("Not a whole number."),
    "greater_than_equal": N_("Too small."),
    "literal_error": N_("Choose one of the options."),
    "enum": N_("Choose one of the options."),
    "string_too_long": N_("Too long."),
    "string_too_short": N_("Too short."),
    "too_short": N_("Too short."),
    "extra_forbidden": N_("Not a field of this form."),
}


def field_errors(exc: ValidationError, _: Gettext) -> dict[str, str]:
    """Each error by the form field it belongs to (nested errors go to their top-level field)."""
    errors: dict[str, str] = {}
    for err in exc.errors():
        loc = [p for p in err["loc"] if isinstance(p, str)]
        name = NESTED.join(loc[:2]) if len(loc) > 1 else (loc[0] if loc else "form")
        if name in errors:
            continue
        known = _MESSAGES.get(err["type"])
        if known:
            errors[name] = _(known)
        else:
            # A validator's own sentence (a country code, a date before capture) is English.
            errors[name] = _("Not accepted:") + " " + str(err["msg"]).removeprefix("Value error, ")
    return errors


def place_errors(errors: dict[str, str], fields: list[FormField]) -> dict[str, str]:
    """An error on a part (a name missing both its forms) goes beside the part's first field."""
    names = [f.name for f in fields]
    placed: dict[str, str] = {}
    for key, message in errors.items():
        where = key if key in names else next((n for n in names if n.startswith(key + NESTED)), key)
        placed.setdefault(where, message)
    return placed


def input_error(message: str, known: set[str], _: Gettext) -> dict[str, str]:
    """A user error from the Office ("field: what is wrong") placed beside its field."""
    name, sep, text = message.partition(": ")
    if sep and name in known:
        return {name: _("Not accepted:") + " " + text}
    return {"form": message}


def validate_event(model: type[Event], data: dict[str, Any], _: Gettext) -> tuple[Event | None, dict[str, str]]:
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        return None, place_errors(field_errors(exc, _), form_fields(model))
