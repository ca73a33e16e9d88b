"""Casework in the browser and over HTTP: :func:`create_app` builds the one FastAPI app."""

from powcase.web.app import create_app

__all__ = ["create_app"]
