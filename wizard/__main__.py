"""`python -m wizard` is the same as the `aks-nat-wizard` command."""

from wizard.cli.main import main

if __name__ == "__main__":
    main()
