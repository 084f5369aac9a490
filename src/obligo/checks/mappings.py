"""The contract's derived ``map`` lines (docs/sources.md): a time form, a zone and units that a
log can be read by, each mistake at its line."""

from __future__ import annotations

from obligo.checks.reporter import Reporter
from obligo.model.contract import Contract
from obligo.model.timeforms import states_its_zone, time_form_problem, unit_problem, zone_problem


def check_mappings(contract: Contract, out: Reporter) -> None:
    for mapping in contract.mappings:
        if not mapping.derived:
            continue
        where = f"map ... to {mapping.target}"
        if mapping.record_type is not None:
            out.error(
                f"{where}: a derived field applies to every record type",
                mapping.loc,
                hint="leave out `in ... records`, or derive the field in a sources file",
            )
        problems = []
        if mapping.time is not None:
            problems.append(time_form_problem(mapping.time))
            if mapping.zone is not None:
                if states_its_zone(mapping.time):
                    problems.append("this time states its own zone: leave out `zone`")
                else:
                    problems.append(zone_problem(mapping.zone))
        if mapping.plus_unit is not None:
            problems.append(unit_problem(mapping.plus_unit))
        if mapping.duration is not None:
            problems.append(unit_problem(mapping.duration))
        if mapping.plus is not None and mapping.time is None:
            problems.append('a time plus a duration is read `as time "FORM"`')
        for problem in problems:
            if problem is not None:
                out.error(f"{where}: {problem}", mapping.loc)
