"""Polku's domain: life events, questions, rules, calculators, service catalogue and comparison.

Nothing here knows about HTTP or Flask; the portal package adapts it to the web.
"""
