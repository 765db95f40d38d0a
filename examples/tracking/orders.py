"""A small order-processing dataflow the tracking example runs twice."""


def orders(raw_orders: list[dict]) -> list[dict]:
    """Orders with a positive quantity."""
    return [order for order in raw_orders if order["quantity"] > 0]


def revenue(orders: list[dict]) -> float:
    return sum(order["quantity"] * order["price"] for order in orders)


def average_order_value(revenue: float, orders: list[dict]) -> float:
    if not orders:
        raise ValueError("no valid orders: cannot compute an average order value")
    return revenue / len(orders)


def summary(revenue: float, average_order_value: float) -> str:
    return f"revenue {revenue:.2f}, average order {average_order_value:.2f}"
