"""Use cases: one function per thing a person does, each one transaction."""
