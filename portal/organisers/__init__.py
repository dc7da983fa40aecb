"""The organisers' side (issue 15): staff roles and pages (R-roles), and the write services (changes, audit)."""
