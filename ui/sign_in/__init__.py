"""Signing in to a database that asks everyone to, setting up its first administrator,
and changing one's own password."""
