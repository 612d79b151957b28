from unpress.cli import main

raise SystemExit(main())
