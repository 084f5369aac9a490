"""The evaluation engine: measurement periods, business time, and what is computed over them."""
