from snaptui.cli import main

raise SystemExit(main())
