"""Infonavit over HTTP: the public simulators, and credits for who may see them."""

from ninja import Router

router = Router(tags=["infonavit"])
