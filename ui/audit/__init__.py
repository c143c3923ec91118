"""The Audit screen: who changed what and when, filtered and exported; never edited."""
