from juhtum.cli import main

raise SystemExit(main())
