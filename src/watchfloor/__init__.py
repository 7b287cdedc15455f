"""watchfloor: a self-hosted, offline monitoring desk for open-source reporting."""

__version__ = "0.1.0"
