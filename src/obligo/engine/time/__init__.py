"""Time: measurement periods, business calendars, the evaluation time, interval arithmetic.

Every pass places instants with these: a period's bounds in the contract's timezone, a deadline
counted in business time, the union and difference of down intervals. Imports nothing of the
other passes."""
