"""Prioritisation as a team: the owner's weighted criteria, each member's own scores, and the
ranking (ranking.py) shown on its page (views.py) and printed in the report (report.py)."""
