"""Thin callbacks: parse the state, query the dataset, hand data to a figure or panel builder.

Importing a module registers its callbacks with Dash (module level, so tests can import the
functions and call them as plain functions).
"""
