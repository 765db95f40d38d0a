import os

from hypothesis import settings

# No wall-clock limit on an example (deadline=None). CI (tox sets HYPOTHESIS_PROFILE=ci) runs the
# same examples every time (derandomize) and keeps no example database.
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, print_blob=True, database=None, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
