"""The Template library area: competency frameworks, role templates, import and export."""
