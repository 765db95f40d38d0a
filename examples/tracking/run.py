"""Track two runs locally and read them back: python examples/tracking/run.py

Needs local tracking: pip install "apache-hamilton[tracking]" (hamilton-tracking). Runs are
recorded into a temporary directory (deleted at the end), so nothing is left behind; in your own
code, LocalTracker() records into ~/.hamilton/tracking (or $HAMILTON_TRACKING_DIR).
"""

import pathlib
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).parent))

from hamilton import driver

GOOD_ORDERS = [{"quantity": 2, "price": 9.5}, {"quantity": 1, "price": 30.0}, {"quantity": 0, "price": 5.0}]
NO_VALID_ORDERS = [{"quantity": 0, "price": 5.0}]


def main() -> None:
    try:
        from hamilton.plugins.tracking import LocalTracker, TrackingStore
    except ImportError:
        print('tracking: local tracking is not installed (pip install "apache-hamilton[tracking]")')
        return

    import orders

    with tempfile.TemporaryDirectory(prefix="hamilton-tracking-example-") as directory:
        tracker = LocalTracker(path=directory, project="orders-example")
        dr = driver.Builder().with_modules(orders).with_adapters(tracker).build()

        print(dr.execute(["summary"], inputs={"raw_orders": GOOD_ORDERS})["summary"])
        try:
            dr.execute(["summary"], inputs={"raw_orders": NO_VALID_ORDERS})
        except ValueError as error:
            print(f"second run failed as intended: {error}")

        store = TrackingStore(directory)
        for run in store.runs(project="orders-example"):
            detail = store.run(run.run_id)
            print(
                f"run {run.run_id[:8]} {run.status:<7} {run.node_count} nodes in {run.duration * 1000:.1f} ms"
                + (f", failed at node {detail.failed_node!r} ({run.error_type})" if detail.failed_node else "")
            )
            for node in detail.nodes:
                outcome = node.result.repr if node.result else f"{node.error.type}: {node.error.message}"
                print(f"    {node.node_name:<20} {node.status:<8} {outcome}")
    print("To browse your own runs: python -m hamilton.plugins.tracking ui  (then open http://127.0.0.1:8241/)")


if __name__ == "__main__":
    main()
