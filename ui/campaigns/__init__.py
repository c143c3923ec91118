"""The Campaigns area."""
