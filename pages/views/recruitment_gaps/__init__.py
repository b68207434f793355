"""The Recruitment gaps page's tabs: coverage, bus-factor risks, what-if leaves, the second
wave, adjacent skills and the target profile."""
