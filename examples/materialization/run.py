"""Load inputs from files, save outputs to files: python examples/materialization/run.py

Shows the three ways to move data in and out of a dataflow:

* decorators in the dataflow (``@load_from.json``, ``@save_to.json`` in sales.py);
* ``dr.materialize(from_.<format>(...), to.<format>(...))``, chosen when running;
* a loader of your own (a plain class), registered at run time and used as ``from_.csv_rows``.
"""

import csv
import pathlib
import sys
import tempfile
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import sales

from hamilton import driver, registry
from hamilton.io.materialization import from_, to

DATA = pathlib.Path(__file__).parent / "data"


class CsvRows:
    """Reads a CSV file into a list of dicts (one per row). Any extra keyword goes to csv.DictReader."""

    def __init__(self, path: str, encoding: str = "utf-8", **reader_options: Any):
        self.path = path
        self.encoding = encoding
        self.reader_options = reader_options

    @classmethod
    def name(cls) -> str:
        return "csv_rows"

    @classmethod
    def applicable_types(cls) -> list[type]:
        return [list]

    @classmethod
    def can_load(cls) -> bool:
        return True

    def load_data(self, type_: type) -> tuple[list, dict[str, Any]]:
        with open(self.path, encoding=self.encoding, newline="") as handle:
            rows = list(csv.DictReader(handle, **self.reader_options))
        return rows, {"path": str(self.path), "rows": len(rows)}


def main() -> None:
    registry.register_adapter(CsvRows)
    dr = driver.Builder().with_modules(sales).build()
    with tempfile.TemporaryDirectory() as out:
        out_dir = pathlib.Path(out)
        saved, results = dr.materialize(
            from_.csv_rows(target="targets", path=str(DATA / "targets.csv")),
            to.file(id="summary_to_text", dependencies=["summary"], path=str(out_dir / "summary.txt")),
            to.pickle(id="revenue_to_pickle", dependencies=["revenue_by_region"], path=str(out_dir / "revenue.pkl")),
            additional_vars=["summary", "save.report"],
            inputs={"orders_path": str(DATA / "orders.json"), "report_path": str(out_dir / "report.json")},
        )
        print(results["summary"])
        for name, metadata in {**saved, "save.report": results["save.report"]}.items():
            file = metadata["file_metadata"]
            print(f"{name}: wrote {file['size']} bytes to {pathlib.Path(file['path']).name}")


if __name__ == "__main__":
    main()
