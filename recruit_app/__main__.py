"""`python -m recruit_app` runs the same command line as `recruit-app`."""

from recruit_app.cli import main

raise SystemExit(main())
