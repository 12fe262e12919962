"""ARM paging for list answers: `{"value": [...], "nextLink": URL}` until the last page.

Why: a real list answers at most a page of items and a `nextLink` to the next one; the SDK's
`ItemPaged` follows it. The sandbox does the same so the clients' paging is exercised. The link
carries `$skiptoken`, the position of the last item sent (keyset paging: each page is one index
range read, so listing N items costs N, whatever page it is on).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from wizard.sandbox.errors import bad_request
from wizard.sandbox.http import Request, Response

if TYPE_CHECKING:
    from wizard.sandbox.app import Emulator

Json = dict[str, Any]
Rows = Callable[[int, int], list[tuple[int, Json]]]  # (after, limit) -> [(position, body)]

PAGE_SIZE_ENV = "AKS_NAT_WIZARD_SANDBOX_PAGE_SIZE"
#: Items per page when nothing else is said (what Recovery Services documents; each resource
#: provider chooses its own, see docs/AZURE_FACTS.md).
DEFAULT_PAGE_SIZE = 200
SKIP_TOKEN = "$skiptoken"


def resolve_page_size(page_size: int | None) -> int:
    """The argument, else the environment variable, else `DEFAULT_PAGE_SIZE`."""
    if page_size is None:
        raw = os.environ.get(PAGE_SIZE_ENV, "").strip()
        try:
            page_size = int(raw) if raw else DEFAULT_PAGE_SIZE
        except ValueError:
            raise ValueError(f"{PAGE_SIZE_ENV} must be a whole number, got {raw!r}") from None
    if page_size < 1:
        raise ValueError(f"sandbox page size must be at least 1, got {page_size}")
    return page_size


def _after(req: Request) -> int:
    token = next((v for k, v in req.query.items() if k.lower() == SKIP_TOKEN), None)
    if token is None:
        return 0
    if not token.isdigit():
        raise bad_request("InvalidSkipToken", f"The skip token '{token}' is not valid.")
    return int(token)


def paged(emu: Emulator, req: Request, rows: Rows, render: Callable[[Json], Json]) -> Response:
    """One page of `rows` (read from the position in the request's `$skiptoken`), rendered,
    with a `nextLink` when more items follow."""
    size = emu.page_size
    found = rows(_after(req), size + 1)
    page = found[:size]
    body: Json = {"value": [render(item) for _, item in page]}
    if len(found) > size:
        query = {k: v for k, v in req.query.items() if k.lower() != SKIP_TOKEN}
        query[SKIP_TOKEN] = str(page[-1][0])
        body["nextLink"] = f"{emu.base_url}{req.path}?{urlencode(query)}"
    return Response(200, body)
