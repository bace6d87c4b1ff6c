"""Tools for the authors of proposals and criteria sets: JSON Schemas for editors, proposal
templates, one documentation page per rule, and the text views of a criteria set and a rule.

They read the model (and the loader, to open a named set); nothing here scores.
"""
