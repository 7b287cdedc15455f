"""The watch floor in a browser: the JSON API (``/api``, OpenAPI at ``/openapi.json``) and the dashboard pages
over one store, with API tokens (roles and TLP ceilings), one error shape, and security headers.
See README.md in this folder."""

from .app import ServeOptions, caller, create_app, reader, require
from .tokens import Caller, Role, create_token

__all__ = ["Caller", "Role", "ServeOptions", "caller", "create_app", "create_token", "reader", "require"]
