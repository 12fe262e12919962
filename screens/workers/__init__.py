"""What the app does off the UI thread: starting runs, reading a cluster and its checks, and
connecting to the target. Screens call these from thread workers only, so nothing that blocks
or reads Azure runs where it could freeze the app."""
