"""A shop dataflow whose ``async def`` nodes call an HTTP API.

Two shapes of concurrency:

* a product page needs three things nothing links (``product``, ``stock``, ``reviews``): the
  driver awaits the three requests at the same time, then the plain ``def`` ``product_page``
  combines them;
* a catalog fans out over a list of ids (``item_id`` is ``Parallelizable``): each id's ``item``
  request runs as its own task, at most as many at once as the remote executor allows, and
  ``catalog`` collects the answers back, in the order of the ids.

The HTTP client is a few lines of ``asyncio`` so the example runs with Hamilton's core alone;
in a real project ``item`` would use ``httpx``, ``aiohttp``, or your service's async client.
"""

from __future__ import annotations

import asyncio
import json
import urllib.parse

from hamilton.htypes import Collect, Parallelizable


class HTTPStatusError(Exception):
    """The API answered, but not with 200 OK."""


async def _get_json(url: str) -> dict:
    """GET ``url`` (plain http) and decode its JSON body; a non-200 answer raises HTTPStatusError.

    Private (leading underscore): a helper, not a node of the dataflow.
    """
    parts = urllib.parse.urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
    try:
        request = f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n"
        writer.write(request.encode("ascii"))
        await writer.drain()
        response = await reader.read()  # Connection: close -> the server ends the body by closing
    finally:
        writer.close()
        await writer.wait_closed()
    head, _, body = response.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].decode("latin-1")  # e.g. "HTTP/1.0 200 OK"
    status = int(status_line.split()[1])
    if status != 200:
        raise HTTPStatusError(f"GET {parts.path} -> {status_line.split(' ', 1)[1]}")
    return json.loads(body)


# --- a product page: three independent requests, awaited concurrently -------------------------


async def product(base_url: str, product_id: int) -> dict:
    """Name and price of the product."""
    return await _get_json(f"{base_url}/items/{product_id}")


async def stock(base_url: str, product_id: int) -> int:
    """Units in stock (another endpoint: it does not wait for ``product``)."""
    return (await _get_json(f"{base_url}/items/{product_id}/stock"))["in_stock"]


async def reviews(base_url: str, product_id: int) -> list[int]:
    """The review stars of the product."""
    return (await _get_json(f"{base_url}/items/{product_id}/reviews"))["stars"]


def product_page(product: dict, stock: int, reviews: list[int]) -> str:
    """A plain function downstream of async ones: it just receives their values."""
    rating = sum(reviews) / len(reviews)
    return (
        f"{product['name']} (${product['price']:.2f}): {rating:.1f} stars from {len(reviews)} reviews, {stock} in stock"
    )


# --- a catalog: one request per id, fanned out and collected ----------------------------------


def item_id(item_ids: list[int]) -> Parallelizable[int]:
    """One task per id: everything between here and ``catalog`` runs once per id."""
    yield from item_ids


async def item(base_url: str, item_id: int) -> dict:
    """One id's item; these requests are what runs concurrently, up to the executor's limit."""
    return await _get_json(f"{base_url}/items/{item_id}")


def catalog(item: Collect[dict]) -> list[dict]:
    """Every item, in the order of ``item_ids``."""
    return list(item)


def catalog_report(catalog: list[dict]) -> str:
    cheapest = min(catalog, key=lambda each: each["price"])
    dearest = max(catalog, key=lambda each: each["price"])
    total = sum(each["price"] for each in catalog)
    return (
        f"{len(catalog)} items worth ${total:.2f}; cheapest {cheapest['name']} (${cheapest['price']:.2f}), "
        f"dearest {dearest['name']} (${dearest['price']:.2f})"
    )
