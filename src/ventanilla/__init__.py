"""Ventanilla: IMSS and Infonavit services for Mexicans abroad."""
