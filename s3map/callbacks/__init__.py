"""The wiring: Dash callbacks only. `controller` holds the one view callback and its plain-function twin.

Importing a module registers its callbacks with Dash (module level, so tests can import the
functions and call them as plain functions).
"""
