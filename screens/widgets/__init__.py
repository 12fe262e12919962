"""Widgets of the wizard: field rows, the side panel's plan tree, findings and SNAT gauge."""
