"""Evaluation of newsagg stages against real-world reference data (extraction, later clustering)."""
