"""Accessibility tests: axe-core (Playwright and Selenium), keyboard use and small screens."""
