"""The baseline of ``make bench-serve``: a bare FastAPI route that returns a fixed JSON body of a given size
(what the framework, the server and the client cost with no store and no work), run the same way."""

from __future__ import annotations

import os

from fastapi import FastAPI
from fastapi.responses import Response

app = FastAPI()
_SIZE = int(os.environ.get("WATCHFLOOR_BASELINE_BYTES", "20000"))
_BODY = ('{"items": "' + "x" * max(0, _SIZE - 14) + '"}').encode()


@app.get("/static-json")
def static_json() -> Response:
    return Response(_BODY, media_type="application/json")
