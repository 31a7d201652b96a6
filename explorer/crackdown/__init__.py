"""Crackdown planning: whom to remove, together, so that a network falls apart most."""
