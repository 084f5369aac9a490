"""Plan, scan, measure: each metric's value per period (and per group), from the log.

``plan`` gathers the grouped queries every metric needs and merges them into the fewest scans
(``scans``, ``partitions``); the measures (``aggregates``, ``slices``, ``availability``,
``records``) read their cells and hand the judge a ``Measurement`` per period. Reads the time
pass only."""
