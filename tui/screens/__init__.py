"""Screens and dialogs: the only code that calls ``parsing``."""
