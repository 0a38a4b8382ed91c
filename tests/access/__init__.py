"""Expected access per route, one module per feature, merged by tests/test_access.py.

Each module defines EXPECTED: {endpoint: set of roles, or PUBLIC} and
sample_args(world) -> {url argument name: value} for the arguments its routes take.
"""
