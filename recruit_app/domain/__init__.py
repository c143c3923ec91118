"""Pure rules: plain Python in, plain Python out. No SQL, no Qt, no I/O."""
