import os

from hypothesis import settings

# No wall-clock limit on an example (deadline=None). CI (tox sets HYPOTHESIS_PROFILE=ci) explores
# the same examples on every run, so a counterexample found by chance fails a local run instead.
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, print_blob=True, database=None, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
