"""Run a 1.x dataflow that imports 1.x plugin modules: python examples/plugins_from_1x/run.py

Needs apache-hamilton[pandas,pandera,yaml,pyarrow] (from a checkout:
``python scripts/install_from_checkout.py pandas pandera yaml pyarrow``). The 1.x imports below
are unchanged: YAML settings, a pandera schema, 1.x's schema-capture adapter (``h_schema``, which
remembers the schema of each frame and warns when it changes) and its logging adapter.
"""

import logging
import pathlib
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import signups

from hamilton import driver
from hamilton.io.materialization import to
from hamilton.plugins import h_logging, h_schema

WEEKS = [
    {"spend": 10.0, "signups": 1},
    {"spend": 10.0, "signups": 10},
    {"spend": 20.0, "signups": 50},
    {"spend": 40.0, "signups": 100},
]


def main() -> dict:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stdout)
    with tempfile.TemporaryDirectory() as folder:
        folder = pathlib.Path(folder)
        settings = folder / "settings.yaml"
        settings.write_text("campaign: spring\ntarget_cost_per_signup: 0.5\n")
        dr = (
            driver.Builder()
            .with_modules(signups)
            .with_adapters(h_schema.SchemaValidator(schema_dir=folder / "schemas"), h_logging.LoggingAdapter("signups"))
            .build()
        )
        inputs = {"settings_path": str(settings), "raw_weeks": WEEKS}
        saved = to.yaml(id="report_file", dependencies=["report"], path=str(folder / "report.yaml"))
        _, results = dr.materialize(saved, additional_vars=["report"], inputs=inputs)
        print("report:", results["report"])
        print("written:", (folder / "report.yaml").read_text().strip().replace("\n", "; "))
        print("schemas captured:", sorted(p.name for p in (folder / "schemas").iterdir()))
        return results["report"]


if __name__ == "__main__":
    main()
