"""The Candidates tab: the campaign's candidates, their details, and importing them from a file."""
