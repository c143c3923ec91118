"""The Scoring tab: a panel member's sheet, typed from the keyboard, with the evidence beside it."""
