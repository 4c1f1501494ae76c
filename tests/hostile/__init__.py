"""Hostile case repositories: each attack built in a real git repository."""
