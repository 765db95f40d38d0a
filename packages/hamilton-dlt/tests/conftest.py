"""dlt sends anonymous usage telemetry by default: the tests never reach the internet."""

import os

os.environ["RUNTIME__DLTHUB_TELEMETRY"] = "false"
