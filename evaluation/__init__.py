"""Development tools kept out of the installed package: scores against gold, cassette setup."""
