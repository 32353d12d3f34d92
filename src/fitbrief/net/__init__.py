"""The network edge: one HTTP client factory with a careful fetch, robots.txt, URL checks."""
