"""Contributions: what members do for the club, as typed records with evidence and reach.

Members log their own (capture), confirm what the club already recorded about them (records),
curators verify or reject (review), the public directory shows the public ones (directory),
and renewal readiness weighs a rolling year of them against each member's capacity (renewal).
How a contribution relates to the activities engagement scores read is in counting.py and in
migration 015.
"""
