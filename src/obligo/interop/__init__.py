"""Other formats a contract's objectives are written in (OpenSLO): a stage after the model and
the syntax that never reads logs or evaluates (it imports no engine)."""
