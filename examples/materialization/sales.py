"""A small sales dataflow whose inputs come from files and whose report goes to one.

``orders`` is loaded by the ``@load_from.json`` decorator; ``targets`` is an input the run
script fills with ``from_.csv_rows`` (a loader it defines); ``report`` is saved by
``@save_to.json`` as part of the graph.
"""

from hamilton.function_modifiers import load_from, save_to, source


@load_from.json(path=source("orders_path"))
def orders(raw_orders: list) -> list:
    """The orders, as loaded from JSON (one dict per order)."""
    return raw_orders


def revenue_by_region(orders: list) -> dict:
    """Total order amount per region."""
    totals: dict[str, float] = {}
    for order in orders:
        totals[order["region"]] = totals.get(order["region"], 0.0) + order["amount"]
    return totals


def attainment(revenue_by_region: dict, targets: list) -> dict:
    """Revenue as a share of each region's target (targets: rows of a CSV file)."""
    return {
        row["region"]: round(revenue_by_region.get(row["region"], 0.0) / float(row["target"]), 3) for row in targets
    }


@save_to.json(path=source("report_path"))
def report(revenue_by_region: dict, attainment: dict) -> dict:
    """The report: revenue and attainment per region."""
    return {
        region: {"revenue": revenue_by_region[region], "attainment": attainment.get(region)}
        for region in revenue_by_region
    }


def summary(report: dict) -> str:
    """One line per region, best attainment first."""
    ranked = sorted(report.items(), key=lambda item: item[1]["attainment"] or 0.0, reverse=True)
    return "\n".join(f"{region}: {row['revenue']:.2f} ({row['attainment']:.0%} of target)" for region, row in ranked)
