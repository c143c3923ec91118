"""The advert builder: the form, the criteria editor, the live preview and the checks."""
