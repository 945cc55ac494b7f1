"""Infonavit screens, one module per capability: credits and statements, relief solutions."""
