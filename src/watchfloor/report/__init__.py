"""Report: read-only views over the store (briefing, exports)."""
