"""Rights: what the verdicts and consequences open to a party: termination rights, escalations,
renegotiation triggers, and each supplier's and the net position of a chain of agreements."""
