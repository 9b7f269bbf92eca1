"""Helpers for the records tests: small report documents and a writer process to kill."""
