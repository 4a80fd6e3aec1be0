"""Grounded, cited answers over industry reports."""
