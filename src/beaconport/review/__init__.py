"""The review of eligible cases: triage, and (to come) allocation, the structured review, quality
assurance, panel decisions, actions and outcomes."""
