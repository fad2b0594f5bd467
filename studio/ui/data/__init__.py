"""Widgets of the Data panel: the form of a dataset kind's options."""
