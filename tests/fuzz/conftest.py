"""Hypothesis profiles for the fuzz tests. "fuzz" (the default) runs each test's own small
number of examples in a fixed order, so CI runs are reproducible and tests/fuzz stays
under a minute and a half; "thorough" runs 25 times as many, freshly random each run:

    HYPOTHESIS_PROFILE=thorough make test ARGS="tests/fuzz"
"""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "fuzz",
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    # One database and client per test, each example in a savepoint rolled back after it.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
settings.register_profile(
    "thorough", parent=settings.get_profile("fuzz"), max_examples=1000, derandomize=False
)
