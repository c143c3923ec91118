"""The Exports tab: the PDF packs of one campaign."""
