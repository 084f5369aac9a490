"""Parse tree to model: a Lark Transformer that builds immutable pydantic nodes.

Each rule's method receives the rule's children (keywords are already dropped) and the rule's
position; it returns a model node, or a small tagged value that the enclosing rule assembles.
Checks that need only one line (a unit, a date, a weekday) happen here, with the line's location;
checks across declarations live in :mod:`obligo.checks`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NoReturn

from lark import Token, Transformer, v_args
from lark.tree import Meta

from obligo.errors import ObligoSemanticError
from obligo.model import base, clauses, conditions, contract, metrics
from obligo.model.vocabulary import (
    AGGREGATE_CHOICES,
    AGGREGATE_FUNCTIONS,
    AGREEMENT_KINDS,
    BUSINESS_UNITS,
    CALENDAR_PERIODS,
    FIELD_UNITS,
    FREQUENCIES,
    LEVELS,
    ORDINALS,
    PERCENTILE_EXAMPLE,
    PERCENTILE_METHODS,
    PERCENTILE_RANGE,
    PERIOD_WORDS,
    SPELLINGS,
    WEEKDAYS,
    one_of,
    percentile_rank,
)
from obligo.syntax.lines import SourceText

# The words that open a line, for a message about a line given twice (keyed by Item.key).
ONCE_WORDS = {
    "largest_only": "credit only the largest",
    "allocation": "allocation",
    "pool": "pool",
    "earn_back": "earn back",
    "billing": "billing cycle",
    "renewal": "renews",
    "fee_from": "fee from",
    "delivered": "delivered by",
    "treatment": "excluded from the period / counts as available",
    "allowance": "excluded up to",
    "down_when": "down when",
    "attribution": "downtime attributed to",
    "only_during": "only during",
    "slice": "in slices of",
    "runs": "counting only runs",
    "duration": "duration from",
    "open_records": "a record still open",
    "minimum_data": "at least ... records",
    "without_data": "a period without data",
    "percentile_method": "percentile method",
    "settlement": "credit settled",
}
TERM_OPTIONS = ("end", "renewal", "notice")
# The longest length a contract may give (a notice, a window, a claim period, a renewal):
# longer ones overflow the calendar when a deadline or a window is reckoned from them.
LONGEST_YEARS = 100
# Amounts of money: the engine reckons in decimals of 28 significant digits.
LARGEST_AMOUNT = Decimal(10) ** 15
MOST_DECIMALS = 6
_UNIT_YEARS = {
    "ms": Decimal(1) / (1000 * 86400 * 366),
    "s": Decimal(1) / (86400 * 366),
    "min": Decimal(1) / (1440 * 366),
    "h": Decimal(1) / (24 * 366),
    "day": Decimal(1) / 366,
    "week": Decimal(7) / 366,
    "month": Decimal(1) / 12,
    "quarter": Decimal(1) / 4,
    "year": Decimal(1),
}


def _years(duration: base.Duration) -> Decimal:
    """A duration's length in years, at most (a year of 366 days), for the bound on lengths."""
    return duration.amount * _UNIT_YEARS.get(duration.unit, Decimal(1))


# The dates a contract may name: wide enough for any agreement, and far enough from the edges of
# Python's calendar (years 1 and 9999) that every period, deadline and renewal reckoned from them
# stays inside it.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2999, 12, 31)


@dataclass(frozen=True)
class Name:
    text: str
    loc: base.SourceLocation


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Item:
    """One line of a block, before the block is assembled."""

    key: str
    value: Any
    loc: base.SourceLocation


def unquote(token: str) -> str:
    return re.sub(r"\\(.)", r"\1", token[1:-1])


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else None


@v_args(meta=True)
class ContractTransformer(Transformer[Token, Any]):
    """Builds a :class:`obligo.model.Contract`'s parts from a parse tree."""

    def __init__(self, filename: str, text: str | SourceText) -> None:
        super().__init__()
        self.filename = filename
        self.source = text if isinstance(text, SourceText) else SourceText(text)

    # ----------------------------------------------------------------------------- helpers
    def loc(self, where: Meta | Token) -> base.SourceLocation:
        line = getattr(where, "line", None) or 1
        column = getattr(where, "column", None) or 1
        return base.SourceLocation(file=self.filename, line=line, column=column)

    def fail(
        self, message: str, where: Meta | Token | base.SourceLocation, hint: str | None = None
    ) -> NoReturn:
        loc = where if isinstance(where, base.SourceLocation) else self.loc(where)
        line = self.source.line(loc.line)
        raise ObligoSemanticError(
            message,
            file=loc.file,
            line=loc.line,
            column=loc.column,
            hint=hint,
            source_line=line,
        )

    def once(self, items: list[Item], what: str) -> dict[str, Item]:
        """The items of a block by key, refusing a line given twice where once is meant."""
        seen: dict[str, Item] = {}
        for item in items:
            if item.key in seen and item.key in what.split():
                words = ONCE_WORDS.get(item.key, item.key)
                self.fail(
                    f'"{words}" is given twice in this {"line" if item.key in TERM_OPTIONS else "block"}',
                    item.loc,
                    f"the first is on line {seen[item.key].loc.line}",
                )
            seen.setdefault(item.key, item)
        return seen

    def duration(
        self, value: object, where: Meta | Token | base.SourceLocation, what: str
    ) -> base.Duration:
        if isinstance(value, base.Duration):
            return value
        shown = str(value)
        if isinstance(value, base.Node) and value.loc.line > 0:
            where = value.loc
        self.fail(
            f"{what} must be a duration, not {base.describe_literal(value) if isinstance(value, base.Node) else shown}",  # type: ignore[arg-type]
            where,
            "write it with a unit, such as 30 minutes, 4 hours or 2 days",
        )

    def period_word(self, name: Name) -> str:
        if name.text in PERIOD_WORDS:
            return PERIOD_WORDS[name.text]
        self.fail(
            f'"{name.text}" is not a period',
            name.loc,
            suggest(name.text, list(PERIOD_WORDS)) or "use " + one_of(CALENDAR_PERIODS),
        )

    def integer(self, token: Token) -> int:
        text = str(token)
        if not text.isdigit():
            self.fail(f'"{text}" must be a whole number', token)
        return int(text)

    # ----------------------------------------------------------------------------- literals
    def name(self, meta: Meta, children: list[Token]) -> Name:
        token = children[0]
        text = str(token)
        if token.type == "QUOTED_NAME":
            text = text[1:-1]
        return Name(text, self.loc(token))

    field = name

    def title(self, meta: Meta, children: list[Token]) -> Title:
        return Title(unquote(children[0]))

    def string(self, meta: Meta, children: list[Token]) -> base.Text:
        return base.Text(value=unquote(children[0]), loc=self.loc(meta))

    def percent(self, meta: Meta, children: list[Token]) -> base.Percent:
        return base.Percent(value=Decimal(str(children[0])[:-1]), loc=self.loc(meta))

    def money(self, meta: Meta, children: list[Token]) -> base.Money:
        amount = Decimal(str(children[0]))
        if amount >= LARGEST_AMOUNT or amount.as_tuple().exponent < -MOST_DECIMALS:  # type: ignore[operator]
            # Amounts are reckoned in decimals of 28 digits: beyond these bounds they would not fit.
            self.fail(
                f"{children[0]} {children[1]} is not an amount obligo can reckon with",
                meta,
                f"amounts are below {LARGEST_AMOUNT:,} with at most {MOST_DECIMALS} decimals",
            )
        return base.Money(amount=amount, currency=str(children[1]), loc=self.loc(meta))

    def date(self, meta: Meta, children: list[Token]) -> base.DateValue:
        return base.DateValue(value=self.to_date(children[0]), loc=self.loc(meta))

    def to_date(self, token: Token) -> dt.date:
        try:
            value = dt.date.fromisoformat(str(token))
        except ValueError:
            self.fail(f'"{token}" is not a date in the calendar', token, "dates are YYYY-MM-DD")
        if not FIRST_DATE <= value <= LAST_DATE:
            # Periods, deadlines and renewals are reckoned from a contract's dates: at the edges
            # of the calendar (year 1, year 9999) they would fall outside it.
            self.fail(
                f'"{token}" is outside the years a contract can use'
                f" ({FIRST_DATE.year} to {LAST_DATE.year})",
                token,
            )
        return value

    def to_time(self, token: Token) -> dt.time | None:
        text = str(token)
        if text == "24:00":
            return None
        try:
            return dt.time.fromisoformat(text)
        except ValueError:
            self.fail(f'"{text}" is not a time of day', token, "times are HH:MM, 00:00 to 24:00")

    def true(self, meta: Meta, children: list[Token]) -> base.Boolean:
        return base.Boolean(value=True, loc=self.loc(meta))

    def false(self, meta: Meta, children: list[Token]) -> base.Boolean:
        return base.Boolean(value=False, loc=self.loc(meta))

    def business(self, meta: Meta, children: list[Token]) -> str:
        return "business"

    def unit(self, meta: Meta, children: list[Token]) -> Token:
        return children[0]

    def quantity(self, meta: Meta, children: list[Any]) -> base.Number | base.Duration:
        loc = self.loc(meta)
        first = children[0]
        if first.type == "COMPACT_QUANTITY":
            match = re.fullmatch(r"(\d+(?:\.\d+)?)([a-z]+)", str(first))
            assert match is not None  # the terminal's pattern guarantees it
            number, unit_token, business = match.group(1), match.group(2), False
            unit_loc = loc
        else:
            number = str(first)
            business = "business" in children
            unit_tokens = [c for c in children[1:] if isinstance(c, Token)]
            if not unit_tokens:
                if business:
                    self.fail('"business" must be followed by a unit', loc, "1 business day")
                return base.Number(value=Decimal(number), loc=loc)
            unit_token = str(unit_tokens[0])
            unit_loc = self.loc(unit_tokens[0])
        unit = SPELLINGS.get(unit_token)
        if unit is None:
            self.fail(
                f'"{unit_token}" is not a unit',
                unit_loc,
                suggest(unit_token, list(SPELLINGS)) or "units: ms, s, min, h, days, weeks, months",
            )
        if business and unit not in BUSINESS_UNITS:
            self.fail(
                f'a business duration is counted in minutes, hours or days, not "{unit_token}"',
                unit_loc,
            )
        duration = base.Duration(amount=Decimal(number), unit=unit, business=business, loc=loc)
        if _years(duration) > LONGEST_YEARS:
            # Deadlines and windows this long overflow the calendar when reckoned.
            self.fail(
                f"{duration} is longer than any contract runs: a length is at most"
                f" {LONGEST_YEARS} years",
                loc,
            )
        return duration

    def value_list(
        self, meta: Meta, children: list[base.LiteralValue]
    ) -> tuple[base.LiteralValue, ...]:
        return tuple(children)

    def comparator(self, meta: Meta, children: list[Token]) -> str:
        return str(children[0])

    # -------------------------------------------------------------------- file and imports
    def start(self, meta: Meta, children: list[Any]) -> list[Any]:
        return children

    def import_decl(self, meta: Meta, children: list[Token]) -> contract.Import:
        path = unquote(children[0])
        if not path.strip() or "\x00" in path:
            self.fail(f"{children[0]} is not the name of a contract file", children[0])
        return contract.Import(path=path, loc=self.loc(meta))

    # ----------------------------------------------------------------------- the agreement
    def version(self, meta: Meta, children: list[Token]) -> Item:
        token = children[0]
        text = unquote(token) if token.type == "STRING" else str(token)
        return Item("version", text, self.loc(meta))

    def contract_decl(self, meta: Meta, children: list[Any]) -> Item:
        name = children[0]
        title = next((c.text for c in children if isinstance(c, Title)), None)
        items = [c for c in children[1:] if isinstance(c, Item)]
        single = self.once(
            items,
            "version kind level term timezone currency billing margins description",
        )
        value = {
            k: single[k].value if k in single else None
            for k in (
                "version",
                "kind",
                "level",
                "term",
                "timezone",
                "currency",
                "billing",
                "margins",
                "description",
            )
        }
        parties = tuple(i.value for i in items if i.key == "party")
        mappings = tuple(i.value for i in items if i.key == "mapping")
        field_units = tuple(i.value for i in items if i.key == "field_unit")
        default_calendar = next((i.value for i in items if i.key == "default_calendar"), None)
        return Item(
            "contract",
            {
                "id": name.text,
                "title": title,
                "version": value["version"],
                "description": value["description"],
                "kind": value["kind"],
                "level": value["level"],
                "parties": parties,
                "term": value["term"],
                "timezone": value["timezone"],
                "currency": value["currency"],
                "billing_cycle": value["billing"],
                "mappings": mappings,
                "field_units": field_units,
                "calendar": default_calendar,
                "margins": value["margins"],
                "loc": self.loc(meta),
            },
            self.loc(meta),
        )

    def kind_item(self, meta: Meta, children: list[Name]) -> Item:
        name = children[0]
        if name.text not in AGREEMENT_KINDS:
            self.fail(
                f'"{name.text}" is not a kind of agreement',
                name.loc,
                suggest(name.text, AGREEMENT_KINDS) or "use " + one_of(AGREEMENT_KINDS),
            )
        return Item("kind", name.text, self.loc(meta))

    def level_customer(self, meta: Meta, children: list[Name]) -> Item:
        return Item("customer", children[0].text, self.loc(meta))

    def level_every(self, meta: Meta, children: list[Any]) -> Item:
        return Item("every", True, self.loc(meta))

    def level_item(self, meta: Meta, children: list[Any]) -> Item:
        level = children[0]
        names = [c for c in children[1:] if isinstance(c, Name)]
        customer = next(
            (c.value for c in children if isinstance(c, Item) and c.key == "customer"), None
        )
        every = next((c for c in children if isinstance(c, Item) and c.key == "every"), None)
        if level.text not in LEVELS:
            self.fail(
                f'"{level.text}" is not a level',
                level.loc,
                suggest(level.text, LEVELS)
                or "use corporate, or customer or service followed by a name",
            )
        if level.text == "corporate" and (names or customer):
            self.fail("the corporate level applies to everyone: name no customer or service", meta)
        if level.text != "corporate" and not names:
            self.fail(f"name the {level.text}: level {level.text} followed by its name", level.loc)
        if level.text == "customer" and customer:
            self.fail('"for customer" belongs to a service level', meta)
        if level.text != "service" and every is not None:
            self.fail(
                f'"for every customer" belongs to a service level, not the {level.text} level',
                every.loc,
                "write `level service NAME for every customer` for a service level that applies"
                " to every customer",
            )
        return Item(
            "level",
            contract.Level(
                level=level.text,
                name=names[0].text if names else None,
                customer=customer,
                every_customer=every is not None,
                loc=self.loc(meta),
            ),
            self.loc(meta),
        )

    def _party(self, meta: Meta, children: list[Any], role: str) -> Item:
        name = children[0]
        title = next((c.text for c in children if isinstance(c, Title)), None)
        representative = next(
            (c for c in children if isinstance(c, str) and not isinstance(c, Token)), None
        )
        return Item(
            "party",
            contract.Party(
                id=name.text,
                role=role,
                title=title,
                representative=representative,
                loc=name.loc,
            ),
            self.loc(meta),
        )

    def provider_item(self, meta: Meta, children: list[Any]) -> Item:
        return self._party(meta, children, "provider")

    def supplier_item(self, meta: Meta, children: list[Any]) -> Item:
        return self._party(meta, children, "supplier")

    def customer_item(self, meta: Meta, children: list[Any]) -> Item:
        return self._party(meta, children, "customer")

    def representative(self, meta: Meta, children: list[Token]) -> str:
        return unquote(children[0])

    def every_word(self, name: Name) -> base.Duration:
        if name.text not in FREQUENCIES:
            self.fail(
                f'"{name.text}" is not a frequency',
                name.loc,
                suggest(name.text, list(FREQUENCIES)) or "use " + one_of(FREQUENCIES),
            )
        amount, unit = FREQUENCIES[name.text]
        return base.Duration(amount=Decimal(amount), unit=unit, loc=name.loc)

    def renewal(self, meta: Meta, children: list[Any]) -> Item:
        value = children[0]
        every = (
            self.every_word(value)
            if isinstance(value, Name)
            else self.duration(value, meta, "a renewal")
        )
        return Item("renewal", contract.Renewal(every=every, loc=self.loc(meta)), self.loc(meta))

    def notice(self, meta: Meta, children: list[Any]) -> Item:
        return Item("notice", self.duration(children[0], meta, "a notice period"), self.loc(meta))

    def term_end(self, meta: Meta, children: list[Token]) -> Item:
        return Item("end", self.to_date(children[0]), self.loc(meta))

    def term_item(self, meta: Meta, children: list[Any]) -> Item:
        items = [c for c in children[1:] if isinstance(c, Item)]
        single = self.once(items, "end renewal notice")
        return Item(
            "term",
            contract.Term(
                start=self.to_date(children[0]),
                end=single["end"].value if "end" in single else None,
                renewal=single["renewal"].value if "renewal" in single else None,
                notice=single["notice"].value if "notice" in single else None,
                loc=self.loc(meta),
            ),
            self.loc(meta),
        )

    def timezone_item(self, meta: Meta, children: list[Token]) -> Item:
        return Item("timezone", unquote(children[0]), self.loc(meta))

    def currency_item(self, meta: Meta, children: list[Token]) -> Item:
        return Item("currency", str(children[0]), self.loc(meta))

    def billing_anchor(self, meta: Meta, children: list[Token]) -> dt.date:
        return self.to_date(children[0])

    def billing_item(self, meta: Meta, children: list[Any]) -> Item:
        anchor = children[1] if len(children) > 1 else None
        return Item(
            "billing",
            contract.BillingCycle(
                every=self.every_word(children[0]), anchor=anchor, loc=self.loc(meta)
            ),
            self.loc(meta),
        )

    def mapping_scope(self, meta: Meta, children: list[Name]) -> str:
        return children[0].text

    def mapping_item(self, meta: Meta, children: list[Any]) -> Item:
        origin: dict[str, Any] = children[0]
        scope = next((c for c in children[2:] if isinstance(c, str)), None)
        form: dict[str, Any] = next((c for c in children[2:] if isinstance(c, dict)), {})
        return Item(
            "mapping",
            contract.FieldMapping(
                target=children[1].text,
                record_type=scope,
                loc=self.loc(meta),
                **origin,
                **form,
            ),
            self.loc(meta),
        )

    # A derived field's parts, as the FieldMapping's keyword arguments.
    def mapping_column(self, meta: Meta, children: list[Name]) -> dict[str, Any]:
        return {"source": children[0].text}

    def mapping_plus(self, meta: Meta, children: list[Any]) -> dict[str, Any]:
        return {
            "source": children[0].text,
            "plus": children[1].text,
            "plus_unit": str(children[2]),
        }

    def mapping_text(self, meta: Meta, children: list[Token]) -> Any:
        return {"source": "", "constant": unquote(children[0])}

    def mapping_number(self, meta: Meta, children: list[Token]) -> Any:
        return {"source": "", "constant": Decimal(str(children[0]))}

    def mapping_time(self, meta: Meta, children: list[Any]) -> dict[str, Any]:
        return {"time": unquote(children[0]), "zone": children[1] if len(children) > 1 else None}

    def mapping_zone(self, meta: Meta, children: list[Token]) -> str:
        return unquote(children[0])

    def mapping_duration(self, meta: Meta, children: list[Token]) -> dict[str, Any]:
        return {"duration": str(children[0])}

    def mapping_pair(self, meta: Meta, children: list[dict[str, Any]]) -> tuple[Any, Any]:
        return (children[0]["constant"], children[1]["constant"])

    def mapping_table(self, meta: Meta, children: list[tuple[Any, Any]]) -> dict[str, Any]:
        return {"table": tuple(children)}

    def field_unit_item(self, meta: Meta, children: list[Any]) -> Item:
        """``field latency_ms in ms``: the unit a log field's numbers are in."""
        name, word = children[0], children[1]
        unit = SPELLINGS.get(str(word))
        if unit is None:
            self.fail(
                f'"{word}" is not a unit',
                self.loc(word),
                suggest(str(word), list(SPELLINGS)) or "units: ms, s, min, h, days, weeks",
            )
        if unit not in FIELD_UNITS:
            self.fail(
                f"a field's unit is a fixed length of time, not {unit}s: a {unit} has no fixed"
                " length",
                self.loc(word),
                "use ms, seconds, minutes, hours, days or weeks",
            )
        value = contract.FieldUnit(field=name.text, unit=unit, loc=self.loc(meta))
        return Item("field_unit", value, self.loc(meta))

    def default_calendar_item(self, meta: Meta, children: list[Name]) -> Item:
        """``calendar office``: the calendar of business time a clause does not name otherwise."""
        name = children[0]
        value = contract.DefaultCalendar(name=name.text, loc=name.loc)
        return Item("default_calendar", value, self.loc(meta))

    def margins_item(self, meta: Meta, children: list[Token]) -> Item:
        wide, narrow = (base.Percent(value=Decimal(str(t)[:-1]), loc=self.loc(t)) for t in children)
        return Item(
            "margins",
            contract.Margins(wide_at_most=wide, narrow_above=narrow, loc=self.loc(meta)),
            self.loc(meta),
        )

    def description_item(self, meta: Meta, children: list[Token]) -> Item:
        return Item("description", unquote(children[0]), self.loc(meta))

    # ------------------------------------------------------------------------------ services
    def service_decl(self, meta: Meta, children: list[Any]) -> contract.Service:
        name = children[0]
        title = next((c.text for c in children if isinstance(c, Title)), None)
        items = [c for c in children if isinstance(c, Item)]
        single = self.once(items, "description fee_from delivered")
        fees = tuple(i.value for i in items if i.key == "fee")
        if fees and "fee_from" in single:
            self.fail(
                "a service takes its fee either from the contract or from billing records, not both",
                single["fee_from"].loc,
            )
        delivered = single.get("delivered")
        underlying = [i.value for i in items if i.key == "depends"]
        supplier = None
        if delivered is not None:
            supplier, under = delivered.value
            if under is not None:
                underlying.insert(0, under)
        return contract.Service(
            id=name.text,
            title=title,
            description=single["description"].value if "description" in single else None,
            fees=fees,
            fee_from=single["fee_from"].value[0] if "fee_from" in single else None,
            fee_group_by=single["fee_from"].value[1] if "fee_from" in single else (),
            delivered_by=supplier,
            underlying=tuple(underlying),
            loc=name.loc,
        )

    def fee_item(self, meta: Meta, children: list[Any]) -> Item:
        money, every = children[0], self.every_word(children[1])
        where = children[2] if len(children) > 2 else None
        return Item(
            "fee",
            contract.Fee(money=money, every=every, where=where, loc=self.loc(meta)),
            self.loc(meta),
        )

    def fee_per_item(self, meta: Meta, children: list[Any]) -> Item:
        """``fee 30 EUR per 30 days``, ``per week``, ``per billing cycle of 28 days``."""
        money, every = children[0], children[1]
        where = children[2] if len(children) > 2 else None
        return Item(
            "fee",
            contract.Fee(money=money, every=every, where=where, loc=self.loc(meta)),
            self.loc(meta),
        )

    def fee_per_quantity(self, meta: Meta, children: list[Any]) -> base.Duration:
        return self.duration(children[-1], meta, "the time a fee is for")

    def fee_per_unit(self, meta: Meta, children: list[Name]) -> base.Duration:
        word = children[0]
        unit = SPELLINGS.get(word.text)
        if unit is None:
            self.fail(
                f'"{word.text}" is not a unit of time',
                word.loc,
                suggest(word.text, list(SPELLINGS)) or "fee 30 EUR per 30 days",
            )
        return base.Duration(amount=Decimal(1), unit=unit, loc=word.loc)

    def fee_from_item(self, meta: Meta, children: list[Any]) -> Item:
        children, group = self.grouped(children)
        return Item("fee_from", (children[0], group), self.loc(meta))

    def ending(self, meta: Meta, children: list[Token]) -> dt.date:
        return self.to_date(children[0])

    def underlying(
        self, meta: Meta, children: list[Any]
    ) -> tuple[str, dt.date | None, base.SourceLocation]:
        return (unquote(children[0]), children[1] if len(children) > 1 else None, self.loc(meta))

    def delivered_item(self, meta: Meta, children: list[Any]) -> Item:
        supplier = children[0]
        under = None
        if len(children) > 1:
            reference, ends, loc = children[1]
            under = contract.Underlying(
                reference=reference, supplier=supplier.text, ends=ends, loc=loc
            )
        return Item("delivered", (supplier.text, under), self.loc(meta))

    def depends_item(self, meta: Meta, children: list[Any]) -> Item:
        return Item(
            "depends",
            contract.Underlying(
                reference=unquote(children[0]), ends=children[1], loc=self.loc(meta)
            ),
            self.loc(meta),
        )

    # ---------------------------------------------------------------------------- calendars
    def calendar_decl(self, meta: Meta, children: list[Any]) -> contract.Calendar:
        name = children[0]
        title = next((c.text for c in children if isinstance(c, Title)), None)
        items = [c for c in children if isinstance(c, Item)]
        single = self.once(items, "timezone description")
        holidays: list[dt.date] = []
        for item in items:
            if item.key == "holidays":
                holidays.extend(item.value)
        return contract.Calendar(
            id=name.text,
            title=title,
            description=single["description"].value if "description" in single else None,
            timezone=single["timezone"].value if "timezone" in single else None,
            hours=tuple(i.value for i in items if i.key == "hours"),
            holidays=tuple(holidays),
            holiday_sources=tuple(i.value for i in items if i.key == "holiday_source"),
            loc=name.loc,
        )

    def weekday(self, name: Name) -> int:
        if name.text not in WEEKDAYS:
            self.fail(
                f'"{name.text}" is not a day of the week',
                name.loc,
                suggest(name.text, WEEKDAYS) or f"days are {WEEKDAYS[0]} to {WEEKDAYS[-1]}",
            )
        return WEEKDAYS.index(name.text)

    def day_range(self, meta: Meta, children: list[Name]) -> tuple[str, ...]:
        first = self.weekday(children[0])
        if len(children) == 1:
            return (WEEKDAYS[first],)
        last = self.weekday(children[1])
        if last < first:
            self.fail(
                f"{children[0].text} to {children[1].text} runs backwards",
                children[1].loc,
                "a range of days runs from monday towards sunday",
            )
        return WEEKDAYS[first : last + 1]

    def every_day(self, meta: Meta, children: list[Any]) -> tuple[str, ...]:
        return WEEKDAYS

    def days(self, meta: Meta, children: list[tuple[str, ...]]) -> tuple[str, ...]:
        days: list[str] = []
        for group in children:
            days.extend(d for d in group if d not in days)
        return tuple(days)

    def all_day(self, meta: Meta, children: list[Any]) -> tuple[dt.time, None]:
        return (dt.time(0, 0), None)

    def day_hours(self, meta: Meta, children: list[Any]) -> tuple[dt.time, dt.time | None]:
        if len(children) == 1:
            return children[0]  # type: ignore[no-any-return]
        start = self.to_time(children[0])
        if start is None:
            self.fail("opening hours cannot start at 24:00", children[0])
        end = self.to_time(children[1])
        if end is not None and end <= start:
            self.fail(
                f"the opening hours end ({children[1]}) before they start ({children[0]})",
                children[1],
                "hours that run past midnight are written as two ranges",
            )
        return (start, end)

    def hours_item(self, meta: Meta, children: list[Any]) -> Item:
        start, end = children[1]
        return Item(
            "hours",
            contract.WeeklyHours(days=children[0], start=start, end=end, loc=self.loc(meta)),
            self.loc(meta),
        )

    def holidays_item(self, meta: Meta, children: list[Token]) -> Item:
        return Item("holidays", [self.to_date(t) for t in children], self.loc(meta))

    def holidays_region(self, meta: Meta, children: list[Token]) -> str:
        return unquote(children[0])

    def holidays_of_item(self, meta: Meta, children: list[Any]) -> Item:
        """``holidays of country "DE", region "BY"``."""
        region = children[1] if len(children) > 1 else None
        source = contract.HolidaysOf(
            country=unquote(children[0]), region=region, loc=self.loc(children[0])
        )
        return Item("holiday_source", source, self.loc(meta))

    def holidays_from_item(self, meta: Meta, children: list[Token]) -> Item:
        """``holidays from "berlin.ics"``."""
        source = contract.HolidaysFrom(path=unquote(children[0]), loc=self.loc(children[0]))
        return Item("holiday_source", source, self.loc(meta))

    # ---------------------------------------------------------------------------- exclusions
    def exclusion_decl(self, meta: Meta, children: list[Any]) -> contract.Exclusion:
        name = children[0]
        title = next((c.text for c in children if isinstance(c, Title)), None)
        items = [c for c in children if isinstance(c, Item)]
        single = self.once(items, "treatment description allowance")
        sources = tuple(i.value for i in items if i.key == "source")
        if not sources:
            self.fail(
                f"exclusion {name.text} names no records",
                name.loc,
                'add a line such as: maintenance records where service = "api"',
            )
        return contract.Exclusion(
            id=name.text,
            title=title,
            description=single["description"].value if "description" in single else None,
            sources=sources,
            valid_when=tuple(i.value for i in items if i.key == "valid"),
            treatment=single["treatment"].value
            if "treatment" in single
            else "excluded_from_period",
            allowance=single["allowance"].value if "allowance" in single else None,
            loc=name.loc,
        )

    def allowance_item(self, meta: Meta, children: list[Any]) -> Item:
        limit = self.duration(children[0], meta, "an allowance")
        if limit.seconds is None or limit.business:
            self.fail(
                f"an allowance is time on the clock: {limit} is not a fixed duration",
                limit.loc,
                "write it in minutes, hours or days: excluded up to 10 hours per year",
            )
        allowance = contract.Allowance(limit=limit, span=children[1], loc=self.loc(meta))
        return Item("allowance", allowance, self.loc(meta))

    def contract_year(self, meta: Meta, children: list[Any]) -> str:
        return "contract_year"

    def calendar_year(self, meta: Meta, children: list[Any]) -> str:
        return "calendar_year"

    def exclusion_source(self, meta: Meta, children: list[Any]) -> Item:
        return Item("source", children[0], self.loc(meta))

    def validity_item(self, meta: Meta, children: list[Any]) -> Item:
        return Item("valid", children[0], self.loc(meta))

    def notice_rule(self, meta: Meta, children: list[Any]) -> contract.NoticeRule:
        return contract.NoticeRule(
            announced_field=children[0].text,
            at_least=self.duration(children[1], meta, "the notice"),
            before_field=children[2].text,
            loc=self.loc(meta),
        )

    def window_rule(self, meta: Meta, children: list[Name]) -> contract.WindowRule:
        return contract.WindowRule(calendar=children[0].text, loc=children[0].loc)

    def treatment_item(self, meta: Meta, children: list[str]) -> Item:
        return Item("treatment", children[0], self.loc(meta))

    def excluded_from_period(self, meta: Meta, children: list[Any]) -> str:
        return "excluded_from_period"

    def counts_as_available(self, meta: Meta, children: list[Any]) -> str:
        return "counts_as_available"

    # ------------------------------------------------------------------------------- metrics
    def metric_decl(self, meta: Meta, children: list[Any]) -> metrics.Metric:
        name = children[0]
        title = next((c.text for c in children if isinstance(c, Title)), None)
        measure = next(c for c in children if isinstance(c, metrics.MEASURES))
        items = [c for c in children if isinstance(c, Item)]
        single = self.once(
            items,
            "description service down_when down_because attribution only_during slice runs duration"
            " open_records minimum_data without_data percentile_method",
        )

        def one(key: str) -> Any:
            return single[key].value if key in single else None

        excluding: list[str] = []
        for item in items:
            if item.key == "excluding":
                excluding.extend(item.value)
        lines = metrics.MetricLines(
            down_during=tuple(i.value for i in items if i.key == "down_during"),
            down_when=one("down_when"),
            down_because=one("down_because"),
            attribution=one("attribution"),
            excluding=tuple(excluding),
            only_while=tuple(i.value for i in items if i.key == "only_while"),
            only_during=one("only_during"),
            slice=one("slice"),
            slice_down=tuple(i.value for i in items if i.key == "slice_down"),
            minimum_run=one("runs"),
            slice_without=tuple(i.value for i in items if i.key == "slice_without"),
            values=tuple(i.value for i in items if i.key == "value"),
            duration=one("duration"),
            targets=tuple(i.value for i in items if i.key == "target"),
            open_records=one("open_records"),
            pauses=tuple(i.value for i in items if i.key == "pause"),
            percentile_method=one("percentile_method"),
            loc=name.loc,
        )
        return metrics.build_metric(
            measure,
            lines,
            id=name.text,
            title=title,
            description=one("description"),
            service=one("service"),
            minimum_data=one("minimum_data"),
            without_data=one("without_data"),
            loc=name.loc,
        )

    def of_service(self, meta: Meta, children: list[Name]) -> str:
        return children[0].text

    @staticmethod
    def grouped(children: list[Any]) -> tuple[list[Any], tuple[str, ...]]:
        """The children without a trailing ``, by FIELD, ...``, and those fields."""
        if children and isinstance(children[-1], Item) and children[-1].key == "group_by":
            return children[:-1], children[-1].value
        return children, ()

    def availability(self, meta: Meta, children: list[Any]) -> metrics.Availability:
        children, group = self.grouped(children)
        service = children[0] if len(children) > 1 else None
        return metrics.Availability(
            service=service, period=children[-1], group_by=group, loc=self.loc(meta)
        )

    def complement(self, meta: Meta, children: list[Token]) -> base.Percent:
        return base.Percent(value=Decimal(str(children[0])[:-1]), loc=self.loc(meta))

    def slice_average(self, meta: Meta, children: list[Any]) -> metrics.SliceAverage:
        children, group = self.grouped(children)
        complement = children[0] if isinstance(children[0], base.Percent) else None
        rest = children[1:] if complement is not None else children
        value, slice_length, period = rest
        return metrics.SliceAverage(
            complement_of=complement,
            value=value.text,
            slice=self.duration(slice_length, meta, "a slice"),
            period=period,
            group_by=group,
            loc=self.loc(meta),
        )

    def ratio(self, meta: Meta, children: list[Any]) -> metrics.Ratio:
        children, group = self.grouped(children)
        return metrics.Ratio(
            group_by=group,
            numerator=self.expression(children[0]),
            denominator=self.expression(children[1]),
            period=children[2],
            loc=self.loc(meta),
        )

    def aggregate_fn(self, meta: Meta, children: list[Any]) -> tuple[str, base.Percent | None]:
        if not children:
            return ("mean", None)
        name = children[0]
        if isinstance(name, Token):  # p99.9
            name = Name(str(name), self.loc(name))
        value = percentile_rank(name.text)
        if value is not None:
            if not 0 < value <= 100:
                self.fail(f"{name.text} is not a percentile: {PERCENTILE_RANGE}", name.loc)
            return ("percentile", base.Percent(value=value, loc=name.loc))
        if name.text not in AGGREGATE_FUNCTIONS:
            self.fail(
                f'"{name.text}" is not a way to aggregate records',
                name.loc,
                suggest(name.text, [*AGGREGATE_FUNCTIONS, PERCENTILE_EXAMPLE])
                or "use " + one_of(AGGREGATE_CHOICES),
            )
        return (AGGREGATE_FUNCTIONS[name.text], None)

    def aggregate_field(self, meta: Meta, children: list[Name]) -> Name:
        return children[0]

    def aggregate(self, meta: Meta, children: list[Any]) -> metrics.Aggregate:
        children, group = self.grouped(children)
        function, percentile = children[0]
        field = next((c.text for c in children if isinstance(c, Name)), None)
        selection = next(c for c in children if isinstance(c, conditions.Selection))
        if function != "count" and field is None:
            self.fail(
                f"{function} of what? name the field: {function} of FIELD in {selection.record_type} records",
                meta,
            )
        if function == "count" and field is not None:
            self.fail("count counts records: write count of TYPE records, without a field", meta)
        return metrics.Aggregate(
            function=function,
            percentile=percentile,
            field=field,
            selection=selection,
            period=children[-1],
            group_by=group,
            loc=self.loc(meta),
        )

    def group_by(self, meta: Meta, children: list[Name]) -> Item:
        fields = tuple(child.text for child in children)
        for number, child in enumerate(children):
            if child.text in fields[:number]:
                self.fail(
                    f"{child.text} is named twice after `by`",
                    child.loc,
                    f"write each field once: by {', '.join(dict.fromkeys(fields))}",
                )
        return Item("group_by", fields, children[0].loc)

    def share_within(self, meta: Meta, children: list[Any]) -> metrics.ShareWithinTarget:
        children, group = self.grouped(children)
        return metrics.ShareWithinTarget(
            selection=children[0], period=children[1], group_by=group, loc=self.loc(meta)
        )

    def total_duration(self, meta: Meta, children: list[Any]) -> metrics.TotalDuration:
        return metrics.TotalDuration(selection=children[0], period=children[1], loc=self.loc(meta))

    def mttr(self, meta: Meta, children: list[Any]) -> metrics.MeanTimeToRepair:
        return metrics.MeanTimeToRepair(
            selection=children[0], period=children[1], loc=self.loc(meta)
        )

    def mtbf(self, meta: Meta, children: list[Any]) -> metrics.MeanTimeBetweenFailures:
        return metrics.MeanTimeBetweenFailures(
            selection=children[0], period=children[1], loc=self.loc(meta)
        )

    # periods
    def calendar_period(self, meta: Meta, children: list[Name]) -> metrics.CalendarPeriod:
        name = children[0]
        if name.text not in CALENDAR_PERIODS:
            self.fail(
                f'"{name.text}" is not a calendar period',
                name.loc,
                suggest(name.text, CALENDAR_PERIODS) or "use " + one_of(CALENDAR_PERIODS),
            )
        return metrics.CalendarPeriod(unit=name.text, loc=self.loc(meta))

    def billing_period(self, meta: Meta, children: list[Any]) -> metrics.BillingCyclePeriod:
        return metrics.BillingCyclePeriod(loc=self.loc(meta))

    def consecutive_period(self, meta: Meta, children: list[Any]) -> metrics.ConsecutivePeriod:
        length = self.duration(children[0], meta, "a period's length")
        return metrics.ConsecutivePeriod(
            length=length, start=self.to_date(children[1]), loc=self.loc(meta)
        )

    def rolling_period(self, meta: Meta, children: list[Any]) -> metrics.RollingPeriod:
        return metrics.RollingPeriod(
            length=self.duration(children[0], meta, "a rolling window"), loc=self.loc(meta)
        )

    # metric items
    def down_during(self, meta: Meta, children: list[Any]) -> Item:
        return Item("down_during", children[0], self.loc(meta))

    def down_when(self, meta: Meta, children: list[Any]) -> Item:
        return Item("down_when", children[0], self.loc(meta))

    def down_because(self, meta: Meta, children: list[Name]) -> Item:
        down = metrics.AttributedDown(
            metric=children[0].text, supplier=children[1].text, loc=self.loc(meta)
        )
        return Item("down_because", down, self.loc(meta))

    def any_of(self, meta: Meta, children: list[Any]) -> str:
        return "any"

    def all_of(self, meta: Meta, children: list[Any]) -> str:
        return "all"

    def composite(self, meta: Meta, children: list[Any]) -> metrics.Composite:
        components = tuple(c.text if isinstance(c, Name) else c for c in children[1:])
        return metrics.Composite(mode=children[0], components=components, loc=self.loc(meta))

    def excluding(self, meta: Meta, children: list[Name]) -> Item:
        return Item("excluding", [c.text for c in children], self.loc(meta))

    def only_while(self, meta: Meta, children: list[Any]) -> Item:
        return Item("only_while", children[0], self.loc(meta))

    def only_during(self, meta: Meta, children: list[Name]) -> Item:
        return Item("only_during", children[0].text, self.loc(meta))

    def slices(self, meta: Meta, children: list[Any]) -> Item:
        return Item("slice", self.duration(children[0], meta, "a slice"), self.loc(meta))

    def slice_down(self, meta: Meta, children: list[Any]) -> Item:
        return Item("slice_down", children[0], self.loc(meta))

    def runs(self, meta: Meta, children: list[Token]) -> Item:
        return Item("runs", self.integer(children[0]), self.loc(meta))

    def slice_up(self, meta: Meta, children: list[Any]) -> tuple[str, None, None]:
        return ("up", None, None)

    def slice_is_down(self, meta: Meta, children: list[Any]) -> tuple[str, None, None]:
        return ("down", None, None)

    def slice_skipped(self, meta: Meta, children: list[Any]) -> tuple[str, None, None]:
        return ("skipped", None, None)

    def slice_value(self, meta: Meta, children: list[Any]) -> tuple[str, str, base.Percent]:
        percent = base.Percent(value=Decimal(str(children[1])[:-1]), loc=self.loc(children[1]))
        return ("value", children[0].text, percent)

    def slice_without(self, meta: Meta, children: list[Any]) -> Item:
        rule, value_name, value = children[1]
        return Item(
            "slice_without",
            metrics.SliceWithoutData(
                selection=children[0],
                rule=rule,
                value_name=value_name,
                value=value,
                loc=self.loc(meta),
            ),
            self.loc(meta),
        )

    def named_value(self, meta: Meta, children: list[Any]) -> Item:
        return Item(
            "value",
            metrics.NamedValue(
                name=children[0].text,
                expression=self.expression(children[1]),
                loc=children[0].loc,
            ),
            self.loc(meta),
        )

    def in_calendar(self, meta: Meta, children: list[Name]) -> Name:
        return children[0]

    def duration_item(self, meta: Meta, children: list[Any]) -> Item:
        calendar = children[2].text if len(children) > 2 else None
        return Item(
            "duration",
            metrics.DurationSpec(
                start_field=children[0].text,
                end_field=children[1].text,
                calendar=calendar,
                loc=self.loc(meta),
            ),
            self.loc(meta),
        )

    def target_group(self, meta: Meta, children: list[Token]) -> Title:
        return Title(unquote(children[0]))

    def target_item(self, meta: Meta, children: list[Any]) -> Item:
        group = next((c.text for c in children if isinstance(c, Title)), None)
        limit = next(c for c in children if isinstance(c, base.Node))
        calendar = next((c.text for c in children if isinstance(c, Name)), None)
        return Item(
            "target",
            metrics.TargetRule(
                group=group,
                limit=self.duration(limit, limit.loc, "a target time"),
                calendar=calendar,
                loc=self.loc(meta),
            ),
            self.loc(meta),
        )

    def open_record(self, meta: Meta, children: list[str]) -> Item:
        return Item("open_records", children[0], self.loc(meta))

    def paused_while(self, meta: Meta, children: list[Any]) -> Item:
        return Item(
            "pause",
            metrics.PausedWhile(selection=children[0], link=children[1].text, loc=self.loc(meta)),
            self.loc(meta),
        )

    def paused_between(self, meta: Meta, children: list[Any]) -> Item:
        return Item(
            "pause",
            metrics.PausedBetween(
                start_field=children[0].text, end_field=children[1].text, loc=self.loc(meta)
            ),
            self.loc(meta),
        )

    def late_once_passed(self, meta: Meta, children: list[Any]) -> str:
        return "late_once_passed"

    def left_out(self, meta: Meta, children: list[Any]) -> str:
        return "left_out"

    def rule_no_data(self, meta: Meta, children: list[Any]) -> str:
        return "no_data"

    def rule_breached(self, meta: Meta, children: list[Any]) -> str:
        return "breached"

    def rule_met(self, meta: Meta, children: list[Any]) -> str:
        return "met"

    def minimum_data(self, meta: Meta, children: list[Any]) -> Item:
        return Item(
            "minimum_data",
            metrics.MinimumData(
                records=self.integer(children[0]), otherwise=children[1], loc=self.loc(meta)
            ),
            self.loc(meta),
        )

    def no_data_rule(self, meta: Meta, children: list[str]) -> Item:
        return Item("without_data", children[0], self.loc(meta))

    def percentile_method(self, meta: Meta, children: list[Name]) -> Item:
        methods = PERCENTILE_METHODS
        name = children[0]
        if name.text not in methods:
            self.fail(
                f'"{name.text}" is not a percentile method',
                name.loc,
                suggest(name.text, methods) or "use " + ", ".join(methods),
            )
        return Item("percentile_method", name.text, self.loc(meta))

    def service_ref(self, meta: Meta, children: list[Name]) -> Item:
        return Item("service", children[0].text, self.loc(meta))

    def attribution(self, meta: Meta, children: list[str]) -> Item:
        return Item("attribution", children[0], self.loc(meta))

    def each_supplier(self, meta: Meta, children: list[Any]) -> str:
        return "each_supplier"

    def first_cause(self, meta: Meta, children: list[Any]) -> str:
        return "first_cause"

    # slice conditions
    def slice_compare(self, meta: Meta, children: list[Any]) -> metrics.SliceCompare:
        return metrics.SliceCompare(
            value=self.expression(children[0]),
            op=children[1],
            threshold=children[2],
            for_any=children[3] if len(children) > 3 else None,
            loc=self.loc(meta),
        )

    def for_any(self, meta: Meta, children: list[Name]) -> str:
        return children[0].text

    def only(self, meta: Meta, children: list[Any]) -> bool:
        return True

    def slice_exists(self, meta: Meta, children: list[Any]) -> metrics.SliceExists:
        return metrics.SliceExists(
            selection=children[-1], only=children[0] is True, loc=self.loc(meta)
        )

    def slice_every(self, meta: Meta, children: list[Any]) -> metrics.SliceEvery:
        return metrics.SliceEvery(
            field=children[0].text, values=children[1], selection=children[2], loc=self.loc(meta)
        )

    def slice_at_least(self, meta: Meta, children: list[Any]) -> metrics.SliceAtLeast:
        return metrics.SliceAtLeast(
            count=self.integer(children[0]),
            field=children[1].text,
            only=children[2] is True,
            selection=children[-1],
            loc=self.loc(meta),
        )

    # arithmetic
    def _arith(self, meta: Meta, children: list[Any], op: str) -> conditions.Arithmetic:
        return conditions.Arithmetic(
            op=op,
            left=self.expression(children[0]),
            right=self.expression(children[1]),
            loc=self.loc(meta),
        )

    def expression(self, value: Any) -> conditions.Expression:
        if isinstance(
            value,
            conditions.ValueRef | conditions.Call | conditions.Arithmetic | conditions.Constant,
        ):
            return value
        return conditions.Constant(value=value, loc=value.loc)

    def plus(self, meta: Meta, children: list[Any]) -> conditions.Arithmetic:
        return self._arith(meta, children, "plus")

    def minus(self, meta: Meta, children: list[Any]) -> conditions.Arithmetic:
        return self._arith(meta, children, "minus")

    def times(self, meta: Meta, children: list[Any]) -> conditions.Arithmetic:
        return self._arith(meta, children, "times")

    def divide(self, meta: Meta, children: list[Any]) -> conditions.Arithmetic:
        return self._arith(meta, children, "divide")

    def value_ref(self, meta: Meta, children: list[Name]) -> conditions.ValueRef:
        return conditions.ValueRef(name=children[0].text, loc=children[0].loc)

    def call(self, meta: Meta, children: list[Any]) -> conditions.Call:
        function = children[0]
        args = children[1]
        if isinstance(args, conditions.Selection):
            arguments: tuple[Any, ...] = (conditions.SelectionArg(selection=args, loc=args.loc),)
        elif isinstance(args, conditions.FieldOf):
            arguments = (args,)
        elif isinstance(args, list):
            arguments = tuple(self.expression(a) for a in args)
        else:
            arguments = (self.expression(args),)
        return conditions.Call(function=function.text, arguments=arguments, loc=function.loc)

    def arguments(self, meta: Meta, children: list[Any]) -> list[Any]:
        return children

    def field_in_selection(self, meta: Meta, children: list[Any]) -> conditions.FieldOf:
        return conditions.FieldOf(field=children[0].text, selection=children[1], loc=self.loc(meta))

    # ------------------------------------------------------------------ selection and filters
    def selection(self, meta: Meta, children: list[Any]) -> conditions.Selection:
        rest = children[1:]
        lasting = rest.pop(0) if rest and isinstance(rest[0], conditions.Lasting) else None
        where = rest[0] if rest else None
        if lasting is not None:  # the record's length first, then the where (see Lasting)
            where = (
                lasting
                if where is None
                else conditions.And(operands=(lasting, where), loc=lasting.loc)
            )
        return conditions.Selection(record_type=children[0].text, where=where, loc=self.loc(meta))

    def _lasting(self, meta: Meta, children: list[Any], op: str) -> conditions.Lasting:
        length = self.duration(children[0], meta, "a record's length")
        if length.seconds is None or length.business:
            self.fail(
                f"a record's length is measured on the clock: {length} is not a fixed duration",
                length.loc,
                "write it in minutes, hours or days: lasting at least 15 minutes",
            )
        return conditions.Lasting(op=op, length=length, loc=self.loc(meta))

    def lasting_at_least(self, meta: Meta, children: list[Any]) -> conditions.Lasting:
        return self._lasting(meta, children, ">=")

    def lasting_at_most(self, meta: Meta, children: list[Any]) -> conditions.Lasting:
        return self._lasting(meta, children, "<=")

    def lasting_more_than(self, meta: Meta, children: list[Any]) -> conditions.Lasting:
        return self._lasting(meta, children, ">")

    def lasting_less_than(self, meta: Meta, children: list[Any]) -> conditions.Lasting:
        return self._lasting(meta, children, "<")

    def where(self, meta: Meta, children: list[Any]) -> conditions.Condition:
        return children[0]  # type: ignore[no-any-return]

    def or_condition(self, meta: Meta, children: list[Any]) -> conditions.Or:
        return conditions.Or(operands=tuple(children), loc=self.loc(meta))

    def and_condition(self, meta: Meta, children: list[Any]) -> conditions.And:
        return conditions.And(operands=tuple(children), loc=self.loc(meta))

    def negation(self, meta: Meta, children: list[Any]) -> conditions.Not:
        return conditions.Not(operand=children[0], loc=self.loc(meta))

    def compare(self, meta: Meta, children: list[Any]) -> conditions.Compare:
        return conditions.Compare(
            field=children[0].text, op=children[1], value=children[2], loc=self.loc(meta)
        )

    def member(self, meta: Meta, children: list[Any]) -> conditions.Member:
        return conditions.Member(field=children[0].text, values=children[1], loc=self.loc(meta))

    def not_member(self, meta: Meta, children: list[Any]) -> conditions.Member:
        return conditions.Member(
            field=children[0].text, values=children[1], negated=True, loc=self.loc(meta)
        )

    def missing(self, meta: Meta, children: list[Any]) -> conditions.Presence:
        return conditions.Presence(field=children[0].text, present=False, loc=self.loc(meta))

    def present(self, meta: Meta, children: list[Any]) -> conditions.Presence:
        return conditions.Presence(field=children[0].text, present=True, loc=self.loc(meta))

    # ------------------------------------------------------------------------------- clauses
    def _clause(self, meta: Meta, children: list[Any], override: bool) -> clauses.Clause:
        clause_id = children[0]
        title = next((c.text for c in children if isinstance(c, Title)), None)
        items = [c for c in children if isinstance(c, Item)]
        single = self.once(items, "description service claim settlement largest_only allocation")

        def many(key: str) -> tuple[Any, ...]:
            return tuple(i.value for i in items if i.key == key)

        return clauses.Clause(
            id=str(clause_id),
            title=title,
            override=override,
            description=single["description"].value if "description" in single else None,
            service=single["service"].value if "service" in single else None,
            promises=many("promise"),
            credits=many("credit"),
            largest_only=single["largest_only"].value if "largest_only" in single else None,
            caps=many("cap"),
            claim=single["claim"].value if "claim" in single else None,
            claim_requirements=many("claim_requirement"),
            settlement=single["settlement"].value if "settlement" in single else None,
            penalties=many("penalty"),
            rewards=many("reward"),
            termination_rights=many("termination"),
            escalations=many("escalation"),
            allocation=single["allocation"].value if "allocation" in single else None,
            loc=self.loc(clause_id),
        )

    def clause_decl(self, meta: Meta, children: list[Any]) -> clauses.Clause:
        return self._clause(meta, children, override=False)

    def override_decl(self, meta: Meta, children: list[Any]) -> clauses.Clause:
        return self._clause(meta, children, override=True)

    def promise_group(self, meta: Meta, children: list[Any]) -> Item:
        return Item("group", children[0], self.loc(meta))

    def baseline_target(self, meta: Meta, children: list[Token]) -> clauses.BaselineTarget:
        percent = base.Percent(value=Decimal(str(children[0])[:-1]), loc=self.loc(children[0]))
        return clauses.BaselineTarget(percent=percent, loc=self.loc(meta))

    def promise(self, meta: Meta, children: list[Any]) -> Item:
        name = children[0]
        group = next((c.value for c in children if isinstance(c, Item)), None)
        op, target = children[-2], children[-1]
        return Item(
            "promise",
            clauses.Objective(metric=name.text, group=group, op=op, target=target, loc=name.loc),
            self.loc(meta),
        )

    def report(self, meta: Meta, children: list[Any]) -> Item:
        item = self.promise(meta, children)
        objective = item.value.model_copy(update={"reported": True})
        return Item("promise", objective, item.loc)

    def allocation(self, meta: Meta, children: list[Token]) -> Item:
        percent = base.Percent(value=Decimal(str(children[0])[:-1]), loc=self.loc(children[0]))
        found = clauses.Allocation(percent=percent, loc=self.loc(meta))
        return Item("allocation", found, self.loc(meta))

    def promotion(self, meta: Meta, children: list[Token]) -> Item:
        percent = base.Percent(value=Decimal(str(children[1])[:-1]), loc=self.loc(children[1]))
        found = clauses.Allocation(
            percent=percent, promoted_from=self.to_date(children[0]), loc=self.loc(meta)
        )
        return Item("allocation", found, self.loc(meta))

    def credit_one(self, meta: Meta, children: list[Any]) -> Item:
        table = clauses.CreditTable(tiers=(children[0],), loc=self.loc(meta))
        return Item("credit", table, self.loc(meta))

    def largest_only(self, meta: Meta, children: list[Token]) -> Item:
        node = clauses.LargestOnly(clauses=tuple(str(t) for t in children), loc=self.loc(meta))
        return Item("largest_only", node, self.loc(meta))

    def credit_mode(self, meta: Meta, children: list[Any]) -> str:
        return "cumulative"

    def credit_table(self, meta: Meta, children: list[Any]) -> Item:
        cumulative = "cumulative" in [c for c in children if isinstance(c, str)]
        tiers = tuple(c for c in children if isinstance(c, clauses.Tier))
        table = clauses.CreditTable(tiers=tiers, cumulative=cumulative, loc=self.loc(meta))
        return Item("credit", table, self.loc(meta))

    def credit_formula(self, meta: Meta, children: list[Any]) -> Item:
        formula = clauses.CreditFormula(
            amount=children[0],
            per=children[1],
            when_breached=len(children) > 2,
            loc=self.loc(meta),
        )
        return Item("credit", formula, self.loc(meta))

    def when_breached(self, meta: Meta, children: list[Any]) -> bool:
        return True

    def credit_expression(self, meta: Meta, children: list[Any]) -> Item:
        credit = clauses.CreditExpression(
            formula=children[0], when_breached=len(children) > 1, loc=self.loc(meta)
        )
        return Item("credit", credit, self.loc(meta))

    def money_formula(self, meta: Meta, children: list[Any]) -> clauses.FormulaOp:
        left, op, right = children
        return clauses.FormulaOp(op=op, left=left, right=right, loc=self.loc(meta))

    def formula_times(self, meta: Meta, children: list[Any]) -> str:
        return "*"

    def formula_divide(self, meta: Meta, children: list[Any]) -> str:
        return "/"

    def formula_number(self, meta: Meta, children: list[Token]) -> clauses.FormulaNumber:
        return clauses.FormulaNumber(value=Decimal(str(children[0])), loc=self.loc(children[0]))

    def formula_percent(self, meta: Meta, children: list[Token]) -> clauses.FormulaNumber:
        return clauses.FormulaNumber(
            value=Decimal(str(children[0])[:-1]), percent=True, loc=self.loc(children[0])
        )

    def formula_money(self, meta: Meta, children: list[base.Money]) -> clauses.FormulaMoney:
        return clauses.FormulaMoney(money=children[0], loc=self.loc(meta))

    def formula_metric(self, meta: Meta, children: list[Name]) -> clauses.FormulaMetric:
        return clauses.FormulaMetric(metric=children[0].text, loc=children[0].loc)

    def formula_fee(self, meta: Meta, children: list[Any]) -> clauses.FormulaFee:
        service, other = children[0]
        for_metric = children[1] if len(children) > 1 else None
        return clauses.FormulaFee(
            service=service, other=other, for_metric=for_metric, loc=self.loc(meta)
        )

    def formula_counted_time(self, meta: Meta, children: list[Name]) -> clauses.FormulaCountedTime:
        return clauses.FormulaCountedTime(metric=children[0].text, loc=self.loc(meta))

    def formula_for(self, meta: Meta, children: list[Name]) -> str:
        return children[0].text

    def tier(self, meta: Meta, children: list[Any]) -> clauses.Tier:
        return clauses.Tier(amount=children[0], condition=children[1], loc=self.loc(meta))

    def exceedance(self, meta: Meta, children: list[Any]) -> str:
        return "exceedance"

    def tier_bound(self, meta: Meta, children: list[Any]) -> clauses.Bound:
        # At its value, as the first bound of the condition is.
        return clauses.Bound(op=children[0], value=children[1], loc=children[1].loc)

    def tier_condition(self, meta: Meta, children: list[Any]) -> clauses.TierCondition:
        subject = children[0]
        group = None
        if len(children) > 1 and isinstance(children[1], Item) and children[1].key == "group":
            group = children[1].value
            if subject == "exceedance":
                self.fail("the exceedance has no groups: name a metric to use `for`", meta)
            children = [subject, *children[2:]]
        bounds = [clauses.Bound(op=children[1], value=children[2], loc=children[2].loc)]
        if len(children) > 3:
            bounds.append(children[3])
        is_exceedance = subject == "exceedance"
        return clauses.TierCondition(
            subject=None if is_exceedance else subject.text,
            exceedance=is_exceedance,
            group=group,
            bounds=tuple(bounds),
            loc=self.loc(meta) if is_exceedance else subject.loc,
        )

    def fee_service(self, meta: Meta, children: list[Name]) -> str:
        return children[0].text

    def fee_ref(
        self, meta: Meta, children: list[Any]
    ) -> tuple[str | None, clauses.OtherPeriodFee | None]:
        service = next((c for c in children if isinstance(c, str)), None)
        other = next((c for c in children if isinstance(c, clauses.OtherPeriodFee)), None)
        return service, other

    def fee_before(self, meta: Meta, children: list[Name]) -> clauses.OtherPeriodFee:
        """``of the month before``."""
        return clauses.OtherPeriodFee(unit=self.period_word(children[0]), loc=self.loc(meta))

    def fee_average(
        self, meta: Meta, children: list[Any]
    ) -> tuple[str | None, clauses.OtherPeriodFee]:
        """``the average fee [of NAME] of the last 3 months``."""
        service = next(
            (c for c in children if isinstance(c, str) and not isinstance(c, Token)), None
        )
        count, unit = children[-2], children[-1]
        other = clauses.OtherPeriodFee(
            unit=self.period_word(unit),
            count=self.integer(count),
            average=True,
            loc=self.loc(count),
        )
        return service, other

    def percent_of_fee(self, meta: Meta, children: list[Any]) -> clauses.PercentOfFee:
        percent = base.Percent(value=Decimal(str(children[0])[:-1]), loc=self.loc(children[0]))
        service, other = children[1]
        return clauses.PercentOfFee(
            percent=percent, service=service, other=other, loc=self.loc(meta)
        )

    def duration_of_fee(self, meta: Meta, children: list[Any]) -> clauses.FeeForDuration:
        duration = self.duration(children[0], meta, "a share of the fee")
        service, other = children[1]
        return clauses.FeeForDuration(
            duration=duration, service=service, other=other, loc=self.loc(meta)
        )

    def fixed_amount(self, meta: Meta, children: list[base.Money]) -> clauses.FixedAmount:
        return clauses.FixedAmount(money=children[0], loc=self.loc(meta))

    def started(self, meta: Meta, children: list[Any]) -> str:
        return "started"

    def full(self, meta: Meta, children: list[Any]) -> str:
        return "full"

    def per_unit(self, meta: Meta, children: list[Any]) -> clauses.PerUnit:
        rounding = children[0] if isinstance(children[0], str) else "exact"
        unit_name, metric_name = [c for c in children if isinstance(c, Name)]
        unit = SPELLINGS.get(unit_name.text)
        if unit is None:
            self.fail(
                f'"{unit_name.text}" is not a unit',
                unit_name.loc,
                suggest(unit_name.text, list(SPELLINGS)) or "per started hour of METRIC",
            )
        return clauses.PerUnit(
            rounding=rounding,
            unit=unit,
            metric=metric_name.text,
            loc=metric_name.loc,
        )

    def cap_period(self, meta: Meta, children: list[Name]) -> str:
        return self.period_word(children[0])

    def less_given(self, meta: Meta, children: list[Any]) -> bool:
        return True

    def period_cap(self, meta: Meta, children: list[Any]) -> Item:
        per = next((c for c in children[1:] if isinstance(c, str)), None)
        shared = next((c for c in children[1:] if isinstance(c, tuple)), ())
        return Item(
            "cap",
            clauses.PeriodCap(amount=children[0], per=per, shared_with=shared, loc=self.loc(meta)),
            self.loc(meta),
        )

    def shared_with(self, meta: Meta, children: list[Token]) -> tuple[str, ...]:
        return tuple(str(t) for t in children)

    def trailing_cap(self, meta: Meta, children: list[Any]) -> Item:
        percent = base.Percent(value=Decimal(str(children[0])[:-1]), loc=self.loc(children[0]))
        periods, unit = self.integer(children[1]), self.period_word(children[2])
        window = base.Duration(amount=Decimal(periods), unit=unit, loc=self.loc(children[1]))
        if _years(window) > LONGEST_YEARS:
            self.fail(
                f"the last {periods} {children[2].text} are longer than any contract runs: a"
                f" window is at most {LONGEST_YEARS} years",
                children[1],
            )
        cap = clauses.TrailingCap(
            percent=percent,
            periods=periods,
            unit=unit,
            less_given=len(children) > 3,
            loc=self.loc(meta),
        )
        return Item("cap", cap, self.loc(meta))

    def term_cap(self, meta: Meta, children: list[Any]) -> Item:
        return Item("cap", clauses.TermCap(amount=children[0], loc=self.loc(meta)), self.loc(meta))

    def claim_billing_cycle(self, meta: Meta, children: list[Name]) -> Item:
        ordinal, anchor = children
        if ordinal.text not in ORDINALS:
            self.fail(
                f'"{ordinal.text}" is not an ordinal',
                ordinal.loc,
                suggest(ordinal.text, list(ORDINALS))
                or "use " + ", ".join(list(ORDINALS)[:3]) + ", ...",
            )
        claim = clauses.ClaimByBillingCycle(
            ordinal=ORDINALS[ordinal.text], after=anchor.text, loc=self.loc(meta)
        )
        return Item("claim", claim, self.loc(meta))

    def end_of(self, meta: Meta, children: list[Name]) -> tuple[str, bool]:
        return (children[0].text, True)

    def claim_within(self, meta: Meta, children: list[Any]) -> Item:
        anchor = children[1]
        after, end_of = (anchor.text, False) if isinstance(anchor, Name) else anchor
        claim = clauses.ClaimWithin(
            duration=self.duration(children[0], meta, "a claim period"),
            after=after,
            end_of=end_of,
            loc=self.loc(meta),
        )
        return Item("claim", claim, self.loc(meta))

    def claim_automatic(self, meta: Meta, children: list[Any]) -> Item:
        return Item("claim", clauses.ClaimAutomatic(loc=self.loc(meta)), self.loc(meta))

    def claim_requirement(self, meta: Meta, children: list[Any]) -> Item:
        requirement = clauses.ClaimRequirement(
            selection=children[0],
            within=self.duration(children[1], meta, "the time to report"),
            after=children[2].text,
            loc=self.loc(meta),
        )
        return Item("claim_requirement", requirement, self.loc(meta))

    def claim_unfixed(self, meta: Meta, children: list[Any]) -> Item:
        requirement = clauses.NoticeRequirement(
            after=children[0].text,
            within=self.duration(children[1], meta, "the time to fix"),
            notice_field=children[2].text,
            loc=self.loc(meta),
        )
        return Item("claim_requirement", requirement, self.loc(meta))

    def settlement(self, meta: Meta, children: list[str]) -> Item:
        return Item("settlement", children[0], self.loc(meta))

    def against_future(self, meta: Meta, children: list[Any]) -> str:
        return "against_future_payments"

    def as_refund(self, meta: Meta, children: list[Any]) -> str:
        return "refund"

    def per_breach(self, meta: Meta, children: list[Any]) -> clauses.PerBreach:
        return clauses.PerBreach(
            unit=self.period_word(children[0]), per_group=len(children) > 1, loc=self.loc(meta)
        )

    def per_group(self, meta: Meta, children: list[Any]) -> bool:
        return True

    def per_missed(self, meta: Meta, children: list[Any]) -> clauses.PerMissedRecord:
        return clauses.PerMissedRecord(loc=self.loc(meta))

    def when_tier(self, meta: Meta, children: list[Any]) -> clauses.TierCondition:
        return children[0]  # type: ignore[no-any-return]

    def penalty(self, meta: Meta, children: list[Any]) -> Item:
        penalty = clauses.Penalty(
            amount=children[0],
            basis=children[1],
            when_breached=len(children) > 2,
            loc=self.loc(meta),
        )
        return Item("penalty", penalty, self.loc(meta))

    def penalty_expression(self, meta: Meta, children: list[Any]) -> Item:
        penalty = clauses.PenaltyExpression(
            formula=children[0], when_breached=len(children) > 1, loc=self.loc(meta)
        )
        return Item("penalty", penalty, self.loc(meta))

    def reward(self, meta: Meta, children: list[Any]) -> Item:
        return Item("reward", clauses.Reward(tier=children[0], loc=self.loc(meta)), self.loc(meta))

    def in_writing(self, meta: Meta, children: list[Any]) -> bool:
        return True

    def exercise_words(self, meta: Meta, children: list[Any]) -> clauses.Exercise:
        return clauses.Exercise(
            within=self.duration(children[-1], meta, "the time to exercise a right"),
            in_writing=len(children) > 1,
            loc=self.loc(meta),
        )

    def exercise(self, meta: Meta, children: list[Any]) -> clauses.Exercise:
        return children[0]  # type: ignore[no-any-return]

    def exercise_line(self, meta: Meta, children: list[Any]) -> clauses.Exercise:
        return children[0]  # type: ignore[no-any-return]

    def _termination(self, meta: Meta, children: list[Any]) -> Item:
        triggers = tuple(c for c in children if not isinstance(c, clauses.Exercise))
        exercises = [c for c in children if isinstance(c, clauses.Exercise)]
        if len(exercises) > 1:
            self.fail(
                "a termination right is exercised within one time, given twice here",
                exercises[1].loc,
            )
        if not triggers:
            self.fail("a termination right needs at least one `when` line", meta)
        right = clauses.TerminationRight(
            triggers=triggers, exercise=exercises[0] if exercises else None, loc=self.loc(meta)
        )
        return Item("termination", right, self.loc(meta))

    termination_one = _termination
    termination_block = _termination

    def customer_representative(self, meta: Meta, children: list[Any]) -> Item:
        return Item("representative", True, self.loc(meta))

    def escalation(self, meta: Meta, children: list[Any]) -> Item:
        to, trigger = children
        if isinstance(to, Item):
            escalation = clauses.Escalation(
                representative=True, trigger=trigger, loc=self.loc(meta)
            )
        else:
            escalation = clauses.Escalation(to=unquote(to), trigger=trigger, loc=self.loc(meta))
        return Item("escalation", escalation, self.loc(meta))

    def breach_run(self, meta: Meta, children: list[Any]) -> clauses.BreachRun:
        return clauses.BreachRun(window=children[0], loc=self.loc(meta))

    def consecutive(self, meta: Meta, children: list[Any]) -> clauses.Consecutive:
        return clauses.Consecutive(
            count=self.integer(children[0]), unit=self.period_word(children[1]), loc=self.loc(meta)
        )

    def n_of_last(self, meta: Meta, children: list[Any]) -> clauses.NOfLast:
        return clauses.NOfLast(
            count=self.integer(children[0]),
            of_last=self.integer(children[1]),
            unit=self.period_word(children[2]),
            loc=self.loc(meta),
        )

    def long_events(self, meta: Meta, children: list[Any]) -> clauses.LongEvents:
        return clauses.LongEvents(
            count=self.integer(children[0]),
            selection=children[1],
            longer_than=self.duration(children[2], meta, "longer than"),
            within=self.duration(children[3], meta, "within any"),
            loc=self.loc(meta),
        )

    def total_in_period(self, meta: Meta, children: list[Any]) -> clauses.TotalInPeriod:
        return clauses.TotalInPeriod(
            metric=children[0].text,
            op=children[1],
            value=children[2],
            unit=self.period_word(children[3]),
            loc=children[0].loc,
        )

    def running_total(self, meta: Meta, children: list[Any]) -> clauses.RunningTotal:
        return clauses.RunningTotal(
            more_than=self.duration(children[0], meta, "a running total"),
            selection=children[1],
            unit=self.period_word(children[2]),
            loc=self.loc(meta),
        )

    # --------------------------------------------------------------------- the amount at risk
    def fees_share(self, meta: Meta, children: list[Token]) -> clauses.FeesShare:
        percent = base.Percent(value=Decimal(str(children[0])[:-1]), loc=self.loc(children[0]))
        return clauses.FeesShare(percent=percent, loc=self.loc(meta))

    def pool_item(self, meta: Meta, children: list[Token]) -> Item:
        percent = base.Percent(value=Decimal(str(children[0])[:-1]), loc=self.loc(children[0]))
        return Item("pool", percent, self.loc(meta))

    def earn_back_item(self, meta: Meta, children: list[Any]) -> Item:
        found = clauses.EarnBack(
            periods=self.integer(children[0]),
            unit=self.period_word(children[1]),
            loc=self.loc(meta),
        )
        return Item("earn_back", found, self.loc(meta))

    def at_risk_decl(self, meta: Meta, children: list[Any]) -> clauses.AtRisk:
        items = [c for c in children[1:] if isinstance(c, Item)]
        single = self.once(items, "pool earn_back")
        return clauses.AtRisk(
            amount=children[0],
            pool=single["pool"].value if "pool" in single else None,
            earn_back=single["earn_back"].value if "earn_back" in single else None,
            loc=self.loc(meta),
        )

    # ------------------------------------------------------ baseline, review, renegotiation
    def baseline_first(self, meta: Meta, children: list[Any]) -> contract.Baseline:
        return contract.Baseline(
            first=self.integer(children[0]), unit=self.period_word(children[1]), loc=self.loc(meta)
        )

    def baseline_dates(self, meta: Meta, children: list[Token]) -> contract.Baseline:
        return contract.Baseline(
            start=self.to_date(children[0]), end=self.to_date(children[1]), loc=self.loc(meta)
        )

    def review_decl(self, meta: Meta, children: list[Any]) -> contract.Review:
        return contract.Review(
            every=self.duration(children[0], meta, "a review interval"),
            start=self.to_date(children[1]),
            to=next((c.text for c in children if isinstance(c, Title)), None),
            representative=any(isinstance(c, Item) for c in children),
            loc=self.loc(meta),
        )

    def notify_to(self, meta: Meta, children: list[Token]) -> Title:
        return Title(unquote(children[0]))

    def notify_decl(self, meta: Meta, children: list[Any]) -> contract.Notification:
        to = next((c.text for c in children if isinstance(c, Title)), None)
        return contract.Notification(
            to=to,
            representative=any(isinstance(c, Item) for c in children),
            before_end=self.duration(children[-1], meta, "a notice"),
            loc=self.loc(meta),
        )

    def because(self, meta: Meta, children: list[Token]) -> Title:
        return Title(unquote(children[0]))

    def each_end(self, meta: Meta, children: list[Any]) -> Item:
        return Item("each", self.period_word(children[0]), self.loc(meta))

    def renegotiate_decl(self, meta: Meta, children: list[Any]) -> contract.Renegotiation:
        reason = next((c.text for c in children if isinstance(c, Title)), None)
        each = next((c.value for c in children if isinstance(c, Item) and c.key == "each"), None)
        condition = next(c for c in children if not isinstance(c, Item | Title))
        return contract.Renegotiation(
            condition=condition, reason=reason, each=each, loc=self.loc(meta)
        )

    def any_clause(self, meta: Meta, children: list[Any]) -> Item:
        return Item("clause", None, self.loc(meta))

    def one_clause(self, meta: Meta, children: list[Token]) -> Item:
        return Item("clause", str(children[0]), self.loc(children[0]))

    def any_metric(self, meta: Meta, children: list[Any]) -> Item:
        return Item("metric", None, self.loc(meta))

    def clause_breached(self, meta: Meta, children: list[Any]) -> contract.ClauseBreached:
        return contract.ClauseBreached(
            clause=children[0].value, window=children[1], loc=children[0].loc
        )

    def clause_wide_margin(self, meta: Meta, children: list[Any]) -> contract.WideMargin:
        return contract.WideMargin(
            clause=children[0].value, window=children[1], loc=children[0].loc
        )

    def clause_never_met(self, meta: Meta, children: list[Any]) -> contract.NeverMet:
        return contract.NeverMet(clause=children[0].value, loc=children[0].loc)

    def metric_value_run(self, meta: Meta, children: list[Any]) -> contract.MetricValueRun:
        return contract.MetricValueRun(
            metric=children[0].text,
            op=children[1],
            value=children[2],
            window=children[3],
            loc=children[0].loc,
        )

    def volume_drift(self, meta: Meta, children: list[Any]) -> contract.VolumeDrift:
        percent = base.Percent(value=Decimal(str(children[1])[:-1]), loc=self.loc(children[1]))
        return contract.VolumeDrift(selection=children[0], percent=percent, loc=self.loc(meta))

    def metric_no_data(self, meta: Meta, children: list[Any]) -> contract.MetricNoData:
        ref = children[0]
        metric = ref.value if isinstance(ref, Item) else ref.text
        return contract.MetricNoData(metric=metric, unit=self.period_word(children[1]), loc=ref.loc)

    def term_ending(self, meta: Meta, children: list[Any]) -> contract.TermEnding:
        return contract.TermEnding(loc=self.loc(meta))

    def underlying_ending(self, meta: Meta, children: list[Any]) -> contract.UnderlyingEnding:
        return contract.UnderlyingEnding(loc=self.loc(meta))


def build_contract(parts: list[Any], filename: str, text: str | SourceText) -> contract.Contract:
    """Assembles a file's declarations into one :class:`Contract`."""
    transformer = ContractTransformer(filename, text)
    source = transformer.source
    heads = [p for p in parts if isinstance(p, Item) and p.key == "contract"]
    if not heads:
        raise ObligoSemanticError(
            'a contract file declares its contract, as in: contract acme-hosting "Title" version 1',
            file=filename,
            line=1,
            column=1,
            source_line=source.line(1) if source.text else None,
        )
    if len(heads) > 1:
        transformer.fail(
            "a file declares one contract; this is the second",
            heads[1].loc,
            f"the first is on line {heads[0].loc.line}",
        )
    baselines = [p for p in parts if isinstance(p, contract.Baseline)]
    if len(baselines) > 1:
        transformer.fail("a contract has one baseline; this is the second", baselines[1].loc)
    at_risk = [p for p in parts if isinstance(p, clauses.AtRisk)]
    if len(at_risk) > 1:
        transformer.fail(
            "a contract has one amount at risk; this is the second",
            at_risk[1].loc,
            f"the first is on line {at_risk[0].loc.line}",
        )

    def of(kind: type[Any]) -> tuple[Any, ...]:
        return tuple(p for p in parts if isinstance(p, kind))

    return contract.Contract(
        **heads[0].value,
        imports=of(contract.Import),
        services=of(contract.Service),
        calendars=of(contract.Calendar),
        exclusions=of(contract.Exclusion),
        metrics=of(metrics.MetricBase),
        clauses=of(clauses.Clause),
        baseline=baselines[0] if baselines else None,
        at_risk=at_risk[0] if at_risk else None,
        reviews=of(contract.Review),
        renegotiations=of(contract.Renegotiation),
        notifications=of(contract.Notification),
        source_text=source.text,
    )
