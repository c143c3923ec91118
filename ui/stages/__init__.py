"""The Stages and Assessment matrix tabs of a campaign: stage settings, panels, the matrix."""
