"""The Results tab: merit order, moderation, outcomes, assessor consistency and exports."""
