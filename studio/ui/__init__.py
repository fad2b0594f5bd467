"""The PySide6 desktop app: thin views over `studio.core`."""
