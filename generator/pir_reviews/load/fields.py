"""Format v1 of an incident file, declared once.

The loader checks files against these declarations and the JSON Schema in
`schema/incident.schema.json` is generated from them, so the two cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from pir_reviews.core import models


@dataclass(frozen=True)
class Kind:
    """Base of the value kinds; `describe` says what is allowed, for messages."""

    describe: str = "a value"


@dataclass(frozen=True)
class OneLine(Kind):
    describe: str = "one line of text"


@dataclass(frozen=True)
class Text(Kind):
    describe: str = "text"


@dataclass(frozen=True)
class Ident(Kind):
    describe: str = "1-80 letters, digits, '.', '_' or '-', starting with a letter or digit"


@dataclass(frozen=True)
class Choice(Kind):
    values: tuple[str, ...] = ()
    describe: str = "one of the listed values"


@dataclass(frozen=True)
class Number(Kind):
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    describe: str = "a number"


@dataclass(frozen=True)
class Boolean(Kind):
    describe: str = "true or false"


@dataclass(frozen=True)
class Timestamp(Kind):
    describe: str = "an ISO-8601 timestamp with an offset, e.g. 2024-03-15T14:30:00Z"


@dataclass(frozen=True)
class Day(Kind):
    describe: str = "a date YYYY-MM-DD"


@dataclass(frozen=True)
class Url(Kind):
    describe: str = "an http:// or https:// address"


@dataclass(frozen=True)
class ListOf(Kind):
    item: Kind = Kind()
    min_items: int = 0
    describe: str = "a list"


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    required: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Record(Kind):
    fields: tuple[Field, ...] = ()
    # A record that may also be given as a plain string: the string fills this field.
    shorthand: str | None = None
    describe: str = "a mapping"

    @cached_property
    def by_name(self) -> dict[str, Field]:
        """The fields by name (worked out once: the loader looks up every key of every record given)."""
        return {fd.name: fd for fd in self.fields}

    @cached_property
    def required(self) -> tuple[Field, ...]:
        """The fields that must be given."""
        return tuple(fd for fd in self.fields if fd.required)


@dataclass(frozen=True)
class FreeForm(Kind):
    describe: str = "any mapping"


def _choice(values: tuple[str, ...]) -> Choice:
    return Choice(values=values, describe="one of " + ", ".join(values))


NAMES = ListOf(item=OneLine(), describe="a list of one-line texts")
TEXTS = ListOf(item=Text(), describe="a list of texts")

IMPACT = Record(fields=(
    Field("users_affected_pct", Number(minimum=0, maximum=100, describe="a number from 0 to 100"), doc="share of users affected, in percent"),
    Field("description", Text()),
    Field("revenue_usd", Number(minimum=0, describe="a number, 0 or more")),
    Field("customer_escalations", Number(minimum=0, integer=True, describe="a whole number, 0 or more")),
    Field("sla_breached", Boolean()),
    Field("data_loss", Boolean(), doc="user data lost or corrupted"),
    Field("security", Boolean(), doc="customer data exposed or a security breach"),
    Field("workaround", Boolean(), doc="users had a workaround"),
    Field("complete_outage", Boolean(), doc="a customer-facing or revenue system was completely down"),
    Field("internal_only", Boolean(), doc="no customer impact: internal or non-production only"),
))

EVENT = Record(fields=(
    Field("at", Timestamp(), required=True),
    Field("type", _choice(models.EVENT_TYPES), doc="inferred from the message when absent"),
    Field("source", OneLine()),
    Field("actor", OneLine()),
    Field("severity", OneLine()),
    Field("message", Text(), required=True),
))

WHY = Record(fields=(Field("question", Text()), Field("answer", Text())))

FACTOR = Record(
    fields=(Field("description", Text(), required=True), Field("category", _choice(models.FACTOR_CATEGORIES))),
    shorthand="description",
    describe="a text or a mapping with description and category",
)

BOW_TIE = Record(fields=(
    Field("threats", TEXTS),
    Field("preventive_barriers", TEXTS),
    Field("mitigative_barriers", TEXTS),
    Field("consequences", TEXTS),
))

ROOT_CAUSE = Record(fields=(
    Field("summary", Text()),
    Field("trigger", Text()),
    Field("five_whys", ListOf(item=WHY)),
    Field("contributing_factors", ListOf(item=FACTOR)),
    Field("bow_tie", BOW_TIE),
))

ACTION_ITEM = Record(fields=(
    Field("title", OneLine(), required=True),
    Field("type", _choice(models.ACTION_TYPES)),
    Field("owner", OneLine()),
    Field("priority", _choice(models.PRIORITIES)),
    Field("due", Day()),
    Field("status", _choice(models.ACTION_STATUSES), doc="default open"),
    Field("link", Url()),
))

RESPONDER = Record(
    fields=(Field("name", OneLine(), required=True), Field("role", OneLine())),
    shorthand="name",
    describe="a name or a mapping with name and role",
)

LINK = Record(fields=(Field("title", OneLine(), required=True), Field("url", Url(), required=True)))

PUBLIC = Record(fields=(
    Field("title", OneLine(), doc="the title customers see; default the incident's title"),
    Field("summary", Text(), doc="what happened, for customers; required when visibility is public"),
    Field("impact", Text(), doc="who was affected and how, for customers"),
    Field("changes", TEXTS, doc="what we are changing so it does not happen again"),
))

INCIDENT = Record(fields=(
    Field("id", Ident(), required=True, doc="unique across the archive, compared case-insensitively"),
    Field("title", OneLine(), required=True),
    Field("severity", _choice(models.SEVERITIES), doc="declared severity"),
    Field("status", _choice(models.STATUSES), doc="default resolved"),
    Field("review_status", _choice(models.REVIEW_STATUSES), doc="default draft"),
    Field("summary", Text(), required=True),
    Field("services", ListOf(item=OneLine(), min_items=1, describe="a list of one or more service names"), required=True),
    Field("regions", NAMES),
    Field("tags", NAMES),
    Field("commander", OneLine()),
    Field("authors", NAMES),
    Field("responders", ListOf(item=RESPONDER)),
    Field("started_at", Timestamp(), required=True, doc="customer impact began"),
    Field("detected_at", Timestamp()),
    Field("acknowledged_at", Timestamp()),
    Field("contained_at", Timestamp(), doc="no new impact: the cause stopped (e.g. the bad change reverted)"),
    Field("mitigated_at", Timestamp(), doc="customer impact stopped"),
    Field("resolved_at", Timestamp()),
    Field("impact", IMPACT),
    Field("timeline", ListOf(item=EVENT)),
    Field("root_cause", ROOT_CAUSE),
    Field("went_well", TEXTS),
    Field("went_wrong", TEXTS),
    Field("got_lucky", TEXTS),
    Field("lessons", TEXTS),
    Field("action_items", ListOf(item=ACTION_ITEM)),
    Field("links", ListOf(item=LINK)),
    Field("visibility", _choice(models.VISIBILITIES), doc="default internal; public incidents also appear on the customer-facing site"),
    Field("public", PUBLIC, doc="the customer-facing version: only these fields are published to customers"),
    Field("updated_at", Day(), doc="when the review last changed in substance (e.g. became final); lists recently updated reviews"),
    Field("extra", FreeForm(), doc="free-form; not checked"),
))

# ---- services.yaml: the optional catalogue of the archive's services ----------------

SERVICE = Record(fields=(
    Field("name", OneLine(), required=True, doc="the name the pages show"),
    Field("aliases", NAMES, doc="other spellings found in incidents; they count as this service"),
    Field("team", OneLine(), doc="the owning team, engaged by name in the response plan"),
    Field("tier", Number(minimum=0, integer=True, describe="a whole number, 0 or more (lower is more critical)")),
))

CATALOGUE = Record(fields=(
    Field("services", ListOf(item=SERVICE, min_items=1, describe="a list of one or more services"), required=True),
))
