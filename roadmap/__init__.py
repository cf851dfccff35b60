"""Roadmap: placement on the four-phase scaling roadmap (DESIGN §4) and the CoE lead's
tracking of milestones, use cases and progress phase by phase (DESIGN §6)."""
