"""Development tools kept out of the runtime package: benchmark, headless browser helpers."""
