"""Judge: each objective of each clause in force, in each period, against its measurement.

``history`` walks clause by clause, objective by objective, group by group, period by period;
``verdicts`` decides met, breached, pending or no data, with the evidence; ``baseline`` and
``breach_runs`` are what targets relative to a baseline and runs of breaches read."""
