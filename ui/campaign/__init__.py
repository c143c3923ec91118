"""A campaign opened in its own window, one tab per part of the campaign."""
