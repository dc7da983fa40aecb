"""End-to-end browser tests of the life-event journeys."""
