"""The Fairness tab: selection rates by group at each stage, impact ratios and a chart."""
