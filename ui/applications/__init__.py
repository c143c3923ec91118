"""Applications: importing candidates' answers and documents, checking what name-blind
reading hides, searching them and reading one candidate's application (managers only)."""
