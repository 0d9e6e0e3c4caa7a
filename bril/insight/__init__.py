"""Insight: what an organisation's people see, choose and miss, over time, without exposing anyone."""
