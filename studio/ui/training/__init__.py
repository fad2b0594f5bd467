"""The Train and Data panels' parts: config form, run controller, live curves, recipe and data views."""
