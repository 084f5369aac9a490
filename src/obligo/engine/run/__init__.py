"""Run: the driver that opens an evaluation (the resolved agreement, its logs, the context),
chains the passes (plan, measure, judge, consequences, rights) and builds the report from their
values; also agreement sets (``portfolio``), the baseline history and the line account."""
