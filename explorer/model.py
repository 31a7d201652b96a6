"""The graph model: which labels, keys, relationship types and identifier kinds exist.

This is the one source of the model. `cypher/schema.cypher` is generated from
it (`python -m explorer.model > cypher/schema.cypher`; a test fails when the
file and the model differ), the loaders refuse a mapping that names a label,
key or relationship type not declared here, the watchlist offers the watchable
identifier kinds, and the catalog accepts the parameter types. docs/model.md
explains each choice.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NodeLabel:
    """A node label, the property that uniquely keys it, and the name of that constraint."""

    name: str
    key: str
    constraint: str


@dataclass(frozen=True)
class Index:
    """A lookup by something other than the key: `label` is a node label or a relationship type."""

    name: str
    label: str
    property: str
    relationship: bool = False


@dataclass(frozen=True)
class IdentifierKind:
    """Something an analyst types to find an entity: where it is stored and how it is normalised.

    `normaliser` names a function of `explorer.identifiers` (the same name a mapping uses).
    """

    name: str
    label: str
    property: str
    normaliser: str
    watchable: bool = True


# -- nodes ---------------------------------------------------------------------------

LABELS: tuple[NodeLabel, ...] = (
    NodeLabel("Person", "person_id", "person_id"),
    NodeLabel("Phone", "number", "phone_number"),
    NodeLabel("Account", "account_id", "account_id"),
    NodeLabel("Parcel", "waybill", "parcel_waybill"),
    NodeLabel("Address", "address_id", "address_id"),
    NodeLabel("Site", "site_id", "site_id"),
    NodeLabel("Post", "post_id", "post_id"),
    # A chat message as a thing of its own (its text, what it names), beside the MESSAGED event.
    NodeLabel("Message", "message_id", "message_id"),
    NodeLabel("Device", "imei", "device_imei"),
    NodeLabel("IPAddress", "ip", "ip_address"),
    NodeLabel("Case", "case_id", "case_id"),
    # An event people attend (a summit, a meeting, a co-offence): the columns of a two-mode matrix.
    NodeLabel("Gathering", "gathering_id", "gathering_id"),
    NodeLabel("Load", "load_id", "load_id"),
    NodeLabel("Ring", "ring_id", "ring_id"),
    NodeLabel("AnalyticsRun", "run_id", "analytics_run_id"),
)

# Labels of Neo4j's POLE example (mapping `pole`, docs/mappings.md) that the model has no
# label for: keyed by the export's own :ID, kept as text in `pole_id`.
POLE_KEY = "pole_id"
POLE_LABELS: tuple[NodeLabel, ...] = (
    NodeLabel("Location", POLE_KEY, "pole_location"),
    NodeLabel("Crime", POLE_KEY, "pole_crime"),
    NodeLabel("PhoneCall", POLE_KEY, "pole_phone_call"),
    NodeLabel("PostCode", POLE_KEY, "pole_postcode"),
    NodeLabel("Area", POLE_KEY, "pole_area"),
    NodeLabel("Officer", POLE_KEY, "pole_officer"),
    NodeLabel("Vehicle", POLE_KEY, "pole_vehicle"),
    NodeLabel("Object", POLE_KEY, "pole_object"),
    NodeLabel("Email", "email_address", "pole_email"),
)

# label -> its key property, for every label a load may write.
NODE_KEYS: dict[str, str] = {label.name: label.key for label in LABELS + POLE_LABELS}

# Values of `Account.platform` and `Site.kind` (the spellings accepted for each are in explorer.identifiers).
ACCOUNT_PLATFORMS = ("wechat", "qq", "telegram", "alipay", "wechatpay", "bank", "crypto", "vendor", "email")
SITE_KINDS = ("website", "market", "forum", "group")

# -- relationships -------------------------------------------------------------------

# Events keep their own time and a deterministic event_id, unique per type.
EVENT_TYPES = ("CALLED", "MESSAGED", "MESSAGED_IN", "TRANSFERRED", "LOGGED_IN")
EVENT_CONSTRAINTS = {
    "CALLED": "called_event",
    "MESSAGED": "messaged_event",
    "MESSAGED_IN": "messaged_in_event",
    "TRANSFERRED": "transferred_event",
    "LOGGED_IN": "logged_in_event",
}
# Links without a time of their own, MERGEd once between their two ends.
LINK_TYPES = (
    "HAS_PHONE", "HAS_ACCOUNT", "LIVES_AT", "USES_DEVICE", "HAS_CONTACT", "SENT", "RECEIVED_BY", "SENT_FROM",
    "DELIVERED_TO", "POSTED", "POSTED_ON", "MENTIONS", "ADVERTISES_ON", "INVOLVES", "KNOWS",
    "CONTACT",  # edge lists and adjacency matrices of research networks
    "ATTENDED",  # a person at a Gathering (two-mode matrices)
    "WROTE", "ADDRESSED_TO", "IN_GROUP",  # a Message's sender, its receiver, its group chat
)  # fmt: skip
# Written by the analytics and the loaders' entity resolution, never by a mapping.
DERIVED_TYPES = ("MEMBER_OF", "SAME_AS")
RELATIONSHIP_TYPES = EVENT_TYPES + LINK_TYPES + DERIVED_TYPES

# -- identifiers -----------------------------------------------------------------------

IDENTIFIER_KINDS: tuple[IdentifierKind, ...] = (
    IdentifierKind("phone", "Phone", "number", "phone"),
    IdentifierKind("account", "Account", "account_id", "account"),
    IdentifierKind("handle", "Account", "handle", "handle", watchable=False),
    IdentifierKind("card", "Account", "handle", "card", watchable=False),
    IdentifierKind("parcel", "Parcel", "waybill", "upper_nospace"),
    IdentifierKind("device", "Device", "imei", "imei"),
    IdentifierKind("ip", "IPAddress", "ip", "ip"),
    IdentifierKind("id_number", "Person", "id_number", "id_number", watchable=False),
    IdentifierKind("person", "Person", "person_id", "text"),
    IdentifierKind("name", "Person", "name", "name"),
    IdentifierKind("address", "Address", "address_id", "address"),
    IdentifierKind("case", "Case", "case_id", "text"),
    IdentifierKind("site", "Site", "site_id", "text", watchable=False),
)
IDENTIFIERS: dict[str, IdentifierKind] = {kind.name: kind for kind in IDENTIFIER_KINDS}
WATCH_KINDS: tuple[str, ...] = tuple(kind.name for kind in IDENTIFIER_KINDS if kind.watchable)

# -- saved investigations --------------------------------------------------------------

# Types a saved investigation may declare for a parameter; `identifier` is normalised as the loaders key it.
SCALAR_PARAM_TYPES = ("string", "integer", "float", "date", "datetime", "identifier", "boolean")
# Analyst state a query may take, handed to it by the app from the analyst store (explorer.catalog), never
# typed: the watch list, and the decisions on same-person candidates.
STATE_PARAM_TYPES = ("watchlist", "reviews")
PARAM_TYPES = ("string", "integer", "float", "date", "datetime", "identifier", "list", "boolean", *STATE_PARAM_TYPES)
LIST_ITEM_TYPES = SCALAR_PARAM_TYPES

# -- schema ----------------------------------------------------------------------------

INDEXES: tuple[Index, ...] = (
    Index("person_name", "Person", "name"),
    Index("person_id_number", "Person", "id_number"),
    Index("person_ring", "Person", "ring_id"),
    Index("account_handle", "Account", "handle"),
    Index("load_sha256", "Load", "sha256"),
    Index("called_at", "CALLED", "at", relationship=True),
    Index("transferred_at", "TRANSFERRED", "at", relationship=True),
    # The alert rules (cypher/alerts/) start from what one load created: these types, by `load_id`.
    *(
        Index(f"{kind.lower()}_load", kind, "load_id", relationship=True)
        for kind in ("CALLED", "MESSAGED", "TRANSFERRED", "HAS_CONTACT", "DELIVERED_TO", "POSTED")
    ),
)
# Scores written back by the network analytics (explorer.analytics) and read by the investigations.
SCORED_LABELS = ("Person", "Phone", "Account")
SCORE_INDEXES: tuple[Index, ...] = (
    tuple(
        Index(f"{label.lower()}_{short}", label, prop)
        for prop, short in (
            ("intermediary_score", "intermediary"),
            ("brokerage", "brokerage"),
            ("betweenness", "betweenness"),
            ("brokerage_weight", "brokerage_weight"),
        )
        for label in SCORED_LABELS
    )
    + tuple(
        Index(f"{label.lower()}_{prop}", label, prop)
        for prop in ("intermediary_rank", "betweenness_weighted")
        for label in SCORED_LABELS
    )
    + (
        Index("ring_size", "Ring", "size"),
        Index("post_slang", "Post", "slang"),
        Index("message_slang", "Message", "slang"),
        Index("analytics_run_started", "AnalyticsRun", "started_at"),
    )
)
# The search box's full-text suggestions: every label an analyst looks up, on its readable properties.
FULLTEXT_INDEX = "identifier_search"
FULLTEXT_LABELS = ("Person", "Phone", "Account", "Parcel", "Address", "Site", "Device", "IPAddress", "Case")
FULLTEXT_PROPERTIES = ("name", "number", "handle", "account_id", "waybill", "text", "imei", "ip", "case_id", "title")


def _node_constraint(label: NodeLabel) -> str:
    return f"CREATE CONSTRAINT {label.constraint} IF NOT EXISTS FOR (n:{label.name}) REQUIRE n.{label.key} IS UNIQUE"


def _index(index: Index) -> str:
    pattern = f"()-[r:{index.label}]-()" if index.relationship else f"(n:{index.label})"
    variable = "r" if index.relationship else "n"
    return f"CREATE INDEX {index.name} IF NOT EXISTS FOR {pattern} ON ({variable}.{index.property})"


def _fulltext_index() -> str:
    properties = ", ".join(f"n.{p}" for p in FULLTEXT_PROPERTIES)
    return (
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS\n"
        f"FOR (n:{'|'.join(FULLTEXT_LABELS)})\n"
        f"ON EACH [{properties}]"
    )


def _schema_sections() -> list[tuple[str, list[str]]]:
    """The schema as (comment, statements) sections, in the order they are applied."""
    return [
        ("One unique key per node label: every load MERGEs on these.", [_node_constraint(lb) for lb in LABELS]),
        (
            "Events keep a deterministic event_id so a reloaded row meets its first copy.",
            [
                f"CREATE CONSTRAINT {EVENT_CONSTRAINTS[t]} IF NOT EXISTS FOR ()-[r:{t}]-() REQUIRE r.event_id IS UNIQUE"
                for t in EVENT_TYPES
            ],
        ),
        ("Lookups analysts make by something other than the key.", [*map(_index, INDEXES), _fulltext_index()]),
        (
            "Written back by the network analytics (explorer.analytics) and read by the investigations.",
            [_index(i) for i in SCORE_INDEXES],
        ),
        (
            "Labels of Neo4j's POLE example (mapping `pole`, docs/mappings.md) that our\n"
            "model has no label for: keyed by the export's own :ID (as text).",
            [_node_constraint(lb) for lb in POLE_LABELS],
        ),
    ]


def schema_statements() -> list[str]:
    """Every constraint and index of the graph, as Cypher statements (all idempotent)."""
    return [statement for _, statements in _schema_sections() for statement in statements]


def schema_cypher() -> str:
    """The text of `cypher/schema.cypher`: the statements with their comments, runnable in cypher-shell."""
    parts = [
        "// Every constraint and index of the graph. Applied idempotently before any\n"
        "// load (`Graph.apply_schema`, `python -m loaders schema`). See docs/model.md.\n"
        "// Generated from explorer/model.py: `python -m explorer.model > cypher/schema.cypher`.\n"
    ]
    for comment, statements in _schema_sections():
        lines = "".join(f"// {line}\n" for line in comment.splitlines())
        parts.append(lines + "".join(f"{s};\n" for s in statements))
    return "\n".join(parts)


if __name__ == "__main__":
    print(schema_cypher(), end="")
