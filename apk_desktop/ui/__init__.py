"""The PySide6 shell over the Qt-free core."""
