"""Allow ``python -m scanner`` as a synonym of the `hipaa-scan` command."""

from scanner.cli import main

if __name__ == "__main__":
    main()
