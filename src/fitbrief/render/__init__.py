"""Rendering: the brief section by section, the comparison page, and their templates."""
