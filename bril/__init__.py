"""Ondermijningsbril: stories, dilemma cards and team sessions for the social domain."""
